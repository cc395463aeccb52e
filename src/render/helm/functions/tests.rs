//! Expected values come from helm v3.17.3 (`helm template` on throwaway
//! charts calling each function).

use super::super::value::{Map, Value};
use super::{Env, all};

fn call(name: &str, args: &[Value]) -> Result<Value, String> {
    let env = Env::default();
    call_in(&env, name, args)
}

fn call_in(env: &Env, name: &str, args: &[Value]) -> Result<Value, String> {
    let table = all();
    let def = table
        .iter()
        .find(|def| def.name == name)
        .unwrap_or_else(|| panic!("no function {name}"));
    (def.function)(env, args)
}

/// What `{{ name args… }}` prints.
fn out(name: &str, args: &[Value]) -> String {
    match call(name, args) {
        Ok(value) => value.to_string(),
        Err(message) => format!("error: {message}"),
    }
}

fn s(text: &str) -> Value {
    Value::string(text)
}

fn i(n: i64) -> Value {
    Value::Int(n)
}

fn f(x: f64) -> Value {
    Value::Float(x)
}

fn l(items: Vec<Value>) -> Value {
    Value::list(items)
}

fn m(entries: &[(&str, Value)]) -> Value {
    let map: Map = entries
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    Value::map(map)
}

mod strings {
    use super::*;

    #[test]
    fn trimming_and_case() {
        assert_eq!(out("trunc", &[i(-2), s("hello")]), "lo");
        assert_eq!(out("trunc", &[i(10), s("hi")]), "hi");
        assert_eq!(out("trunc", &[i(-10), s("hi")]), "hi");
        assert_eq!(out("trunc", &[i(2), s("hello")]), "he");
        assert_eq!(out("abbrev", &[i(5), s("hello world")]), "he...");
        assert_eq!(out("abbrev", &[i(3), s("hello")]), "hello");
        assert_eq!(
            out("abbrevboth", &[i(i64::MIN), i(5), s("a long enough text")]),
            ""
        );
        assert_eq!(
            out("abbrevboth", &[i(10), i(5), s("a long enough text")]),
            "a long enough text"
        );
        assert_eq!(out("abbrevboth", &[i(0), i(4), s("abcdefgh")]), "a...");
        assert_eq!(
            out("abbrevboth", &[i(5), i(10), s("1234 5678 9123")]),
            "...5678..."
        );
        assert_eq!(out("substr", &[i(1), i(3), s("hello")]), "el");
        assert_eq!(out("substr", &[i(-1), i(3), s("hello")]), "hel");
        assert_eq!(out("substr", &[i(1), i(-1), s("hello")]), "ello");
        assert_eq!(out("substr", &[i(1), i(10), s("hi")]), "i");
        assert_eq!(
            out("substr", &[i(3), i(1), s("hello")]),
            "error: runtime error: slice bounds out of range [3:1]"
        );
        assert_eq!(out("initials", &[s("hello World")]), "hW");
        assert_eq!(out("title", &[s("hello wORLD")]), "Hello WORLD");
        assert_eq!(
            out("title", &[s("hello_world foo-bar o'neil")]),
            "Hello_world Foo-Bar O'Neil"
        );
        assert_eq!(out("untitle", &[s("Hello World")]), "hello world");
        assert_eq!(out("swapcase", &[s("Hello World")]), "hELLO wORLD");
        assert_eq!(out("nospace", &[s(" a b ")]), "ab");
        assert_eq!(out("trimAll", &[s("$"), s("$5.00$")]), "5.00");
        assert_eq!(out("trimSuffix", &[s("-"), s("a-")]), "a");
        assert_eq!(out("repeat", &[i(3), s("ab")]), "ababab");
        assert_eq!(
            out("repeat", &[i(-1), s("a")]),
            "error: strings: negative Repeat count"
        );
    }

    #[test]
    fn identifier_cases() {
        assert_eq!(out("snakecase", &[s("HTTPServerName")]), "http_server_name");
        assert_eq!(out("snakecase", &[s("Abc123Def")]), "abc123_def");
        assert_eq!(out("snakecase", &[s("already_snake")]), "already_snake");
        assert_eq!(out("snakecase", &[s("a-b c")]), "a_b_c");
        assert_eq!(out("snakecase", &[s("ID")]), "id");
        assert_eq!(
            out("kebabcase", &[s("HTTPServer Name")]),
            "http-server-name"
        );
        assert_eq!(out("kebabcase", &[s("fooBar123Baz")]), "foo-bar123-baz");
        assert_eq!(
            out("camelcase", &[s("http_server-name x")]),
            "HttpServerNameX"
        );
        assert_eq!(out("camelcase", &[s("helloWorld")]), "HelloWorld");
        assert_eq!(out("camelcase", &[s("HELLO_WORLD")]), "HelloWorld");
        assert_eq!(out("camelcase", &[s("_complex__case_")]), "_Complex_Case_");
        assert_eq!(out("snakecase", &[s("ABC123def")]), "abc_123def");
        assert_eq!(out("kebabcase", &[s("a1B2")]), "a1-b2");
    }

    #[test]
    fn quoting_and_joining() {
        assert_eq!(out("quote", &[Value::Nil, i(1), s("a")]), "\"1\" \"a\"");
        assert_eq!(out("squote", &[Value::Nil]), "");
        assert_eq!(
            out("quote", &[s("a\"b\\\t\u{e9}\u{1}")]),
            "\"a\\\"b\\\\\\t\u{e9}\\x01\""
        );
        assert_eq!(out("cat", &[s("a"), Value::Nil, i(1)]), "a 1");
        assert_eq!(out("indent", &[i(2), s("a\nb")]), "  a\n  b");
        assert_eq!(out("nindent", &[i(2), s("a")]), "\n  a");
        assert_eq!(
            out("wrap", &[i(5), s("hello world foo")]),
            "hello\nworld\nfoo"
        );
        assert_eq!(
            out("wrap", &[i(3), s("a verylongword b")]),
            "a\nverylongword\nb"
        );
        assert_eq!(
            out("wrapWith", &[i(5), s("\t"), s("hello world foo")]),
            "hello\tworld\tfoo"
        );
        assert_eq!(out("plural", &[s("one"), s("many"), i(2)]), "many");
        assert_eq!(
            out("toStrings", &[l(vec![i(1), Value::Nil, s("a")])]),
            "[1 a]"
        );
        assert_eq!(out("split", &[s(","), s("a,b")]), "map[_0:a _1:b]");
        assert_eq!(
            out("splitn", &[s(","), i(2), s("a,b,c")]),
            "map[_0:a _1:b,c]"
        );
        assert_eq!(out("splitList", &[s(","), s("a,b")]), "[a b]");
        assert_eq!(
            out("join", &[s("-"), l(vec![i(1), Value::Nil, s("a")])]),
            "1-a"
        );
        assert_eq!(out("join", &[s("-"), s("abc")]), "abc");
        assert_eq!(
            out("sortAlpha", &[l(vec![s("b"), i(1), s("a")])]),
            "[1 a b]"
        );
        assert_eq!(out("toString", &[Value::Nil]), "<nil>");
    }

    #[test]
    fn sequences() {
        assert_eq!(out("seq", &[i(3)]), "1 2 3");
        assert_eq!(out("seq", &[i(2), i(5)]), "2 3 4 5");
        assert_eq!(out("seq", &[i(5), i(2)]), "5 4 3 2");
        assert_eq!(out("seq", &[i(1), i(2), i(7)]), "1 3 5 7");
        assert_eq!(out("seq", &[i(0)]), "1 0");
        assert_eq!(out("until", &[i(3)]), "[0 1 2]");
        assert_eq!(out("untilStep", &[i(0), i(10), i(3)]), "[0 3 6 9]");
        assert_eq!(out("untilStep", &[i(10), i(0), i(-4)]), "[10 6 2]");
        assert!(call("until", &[i(i64::MAX)]).is_err());
    }

    #[test]
    fn typed_parameters() {
        assert_eq!(
            out("trunc", &[f(1.5), s("hello")]),
            "error: wrong type for value; expected int; got float64"
        );
        assert_eq!(
            out("trunc", &[i(1), f(1e6)]),
            "error: wrong type for value; expected string; got float64"
        );
        assert_eq!(
            out("trunc", &[i(1)]),
            "error: wrong number of args for trunc: want 2 got 1"
        );
    }
}

mod math {
    use super::*;

    #[test]
    fn integers_cast_their_arguments() {
        assert_eq!(out("int", &[s("010")]), "8");
        assert_eq!(out("int", &[s("1.0")]), "1");
        assert_eq!(out("int", &[f(1.5)]), "1");
        assert_eq!(out("add", &[i(1), s("2"), f(1.5)]), "4");
        assert_eq!(out("mul", &[i(2), s("3"), i(4)]), "24");
        assert_eq!(out("max", &[i(1), i(5), s("3")]), "5");
        assert_eq!(out("min", &[i(3)]), "3");
        assert_eq!(out("mod", &[i(7), i(3)]), "1");
        assert_eq!(
            out("div", &[i(1), i(0)]),
            "error: runtime error: integer divide by zero"
        );
        assert_eq!(out("toDecimal", &[s("0777")]), "511");
        assert_eq!(out("toDecimal", &[i(10)]), "8");
        assert_eq!(out("atoi", &[s("12x")]), "0");
        assert_eq!(out("atoi", &[s(" 12")]), "0");
        assert_eq!(out("float64", &[s("1e3")]), "1000");
    }

    #[test]
    fn floats() {
        assert_eq!(out("addf", &[f(0.1), f(0.2)]), "0.3");
        assert_eq!(out("mulf", &[f(1.1), i(3)]), "3.3");
        assert_eq!(out("divf", &[i(1), i(3)]), "0.3333333333333333");
        assert_eq!(out("subf", &[i(1), f(0.9)]), "0.1");
        assert_eq!(out("add1f", &[f(1.5)]), "2.5");
        assert_eq!(out("maxf", &[i(1), f(2.5), s("x")]), "2.5");
        assert_eq!(out("round", &[f(2.555), i(2)]), "2.56");
        assert_eq!(out("round", &[f(1.4), i(0), f(0.4)]), "1");
        assert_eq!(out("ceil", &[s("1.2")]), "2");
        assert_eq!(out("floor", &[f(-1.5)]), "-2");
        assert_eq!(out("divf", &[i(1), i(0)]), "error: decimal division by 0");
    }
}

mod flow {
    use super::*;

    #[test]
    fn defaults_and_emptiness() {
        assert_eq!(out("default", &[s("d"), i(0)]), "d");
        assert_eq!(out("default", &[s("d")]), "d");
        assert_eq!(out("default", &[s("d"), s("x")]), "x");
        assert_eq!(out("empty", &[m(&[("a", i(1))])]), "false");
        assert_eq!(out("empty", &[f(0.0)]), "true");
        assert_eq!(out("coalesce", &[Value::Nil, s(""), i(0), s("x")]), "x");
        assert_eq!(out("ternary", &[i(1), i(2), Value::Bool(true)]), "1");
        assert_eq!(
            out("ternary", &[i(1), i(2), f(1.0)]),
            "error: wrong type for value; expected bool; got float64"
        );
        assert_eq!(out("all", &[i(1), s("a")]), "true");
        assert_eq!(out("any", &[i(0), s("")]), "false");
    }

    #[test]
    fn types() {
        assert_eq!(out("typeOf", &[i(1)]), "int");
        assert_eq!(out("typeOf", &[f(1.0)]), "float64");
        assert_eq!(out("typeOf", &[l(vec![i(1)])]), "[]interface {}");
        assert_eq!(out("kindOf", &[m(&[])]), "map");
        assert_eq!(out("kindOf", &[Value::Nil]), "invalid");
        assert_eq!(out("typeIsLike", &[s("float64"), f(1.0)]), "true");
        assert_eq!(out("deepEqual", &[i(1), f(1.0)]), "false");
    }
}

mod lists {
    use super::*;

    #[test]
    fn list_functions() {
        assert_eq!(out("first", &[l(vec![])]), "<nil>");
        assert_eq!(out("rest", &[l(vec![])]), "[]");
        assert_eq!(out("last", &[l(vec![i(1), i(2)])]), "2");
        assert_eq!(out("initial", &[l(vec![i(1), i(2), i(3)])]), "[1 2]");
        assert_eq!(
            out("uniq", &[l(vec![i(1), i(1), s("a"), s("a"), f(1.0)])]),
            "[1 a 1]"
        );
        assert_eq!(
            out("without", &[l(vec![i(1), i(2), i(1), i(3)]), i(1), i(3)]),
            "[2]"
        );
        assert_eq!(out("has", &[i(1), l(vec![i(1), i(2)])]), "true");
        assert_eq!(out("has", &[i(1), Value::Nil]), "false");
        assert_eq!(out("slice", &[l(vec![i(1), i(2), i(3)]), i(1)]), "[2 3]");
        assert_eq!(
            out("slice", &[l(vec![i(1), i(2), i(3)]), i(1), i(2)]),
            "[2]"
        );
        assert_eq!(out("slice", &[l(vec![])]), "<nil>");
        assert_eq!(
            out("concat", &[l(vec![i(1)]), l(vec![i(2), i(3)])]),
            "[1 2 3]"
        );
        assert_eq!(out("reverse", &[l(vec![i(1), i(2), i(3)])]), "[3 2 1]");
        assert_eq!(
            out("chunk", &[i(2), l(vec![i(1), i(2), i(3)])]),
            "[[1 2] [3]]"
        );
        assert_eq!(
            out("compact", &[l(vec![i(0), i(1), s(""), Value::Nil, s("a")])]),
            "[1 a]"
        );
        assert_eq!(out("prepend", &[l(vec![i(1)]), i(0)]), "[0 1]");
        assert_eq!(out("append", &[l(vec![i(1)]), i(2)]), "[1 2]");
    }

    #[test]
    fn list_errors() {
        assert_eq!(
            out("first", &[s("abc")]),
            "error: Cannot find first on type string"
        );
        assert_eq!(
            out("has", &[i(1), s("abc")]),
            "error: Cannot find has on type string"
        );
        assert_eq!(
            out("slice", &[l(vec![i(1), i(2)]), i(1), i(5)]),
            "error: reflect.Value.Slice: slice index out of bounds"
        );
        assert_eq!(
            out("concat", &[l(vec![i(1)]), i(2)]),
            "error: Cannot concat type int as list"
        );
        assert_eq!(
            out("append", &[s("x"), i(1)]),
            "error: Cannot push on type string"
        );
    }
}

mod dicts {
    use super::*;

    #[test]
    fn merges_like_mergo() {
        let dst = m(&[
            ("a", Value::Bool(false)),
            ("b", s("")),
            ("c", i(1)),
            ("n", m(&[("x", i(1))])),
        ]);
        let src = m(&[
            ("a", Value::Bool(true)),
            ("b", s("s")),
            ("c", i(2)),
            ("d", i(3)),
            ("n", m(&[("x", i(2)), ("y", i(3))])),
        ]);
        assert_eq!(
            out("merge", &[dst, src]),
            "map[a:true b:s c:1 d:3 n:map[x:1 y:3]]"
        );
        let dst = m(&[
            ("a", i(1)),
            ("b", i(2)),
            ("n", m(&[("x", i(1)), ("z", i(0))])),
        ]);
        let src = m(&[
            ("a", i(0)),
            ("b", Value::Nil),
            ("n", m(&[("x", i(2)), ("y", i(3))])),
        ]);
        assert_eq!(
            out("mergeOverwrite", &[dst, src]),
            "map[a:0 b:<nil> n:map[x:2 y:3 z:0]]"
        );
        assert_eq!(
            out(
                "merge",
                &[m(&[("n", i(1))]), m(&[("n", m(&[("x", i(1))]))])]
            ),
            "map[n:1]"
        );
        assert_eq!(
            out(
                "mergeOverwrite",
                &[m(&[("l", l(vec![i(1)]))]), m(&[("l", l(vec![]))])]
            ),
            "map[l:[]]"
        );
    }

    #[test]
    fn dict_functions() {
        assert_eq!(out("dict", &[s("a"), i(1), s("b")]), "map[a:1 b:]");
        assert_eq!(out("dict", &[i(1), i(2)]), "map[1:2]");
        assert_eq!(out("get", &[m(&[]), s("zz")]), "");
        assert_eq!(
            out(
                "pluck",
                &[
                    s("a"),
                    m(&[("a", i(1))]),
                    m(&[("b", i(2))]),
                    m(&[("a", i(3))])
                ]
            ),
            "[1 3]"
        );
        assert_eq!(
            out("pick", &[m(&[("a", i(1)), ("b", i(2))]), s("a"), s("c")]),
            "map[a:1]"
        );
        assert_eq!(
            out("omit", &[m(&[("a", i(1)), ("b", i(2))]), s("a")]),
            "map[b:2]"
        );
        assert_eq!(out("values", &[m(&[("b", i(1)), ("a", i(2))])]), "[2 1]");
        assert_eq!(
            out("set", &[m(&[("a", i(1))]), s("b"), i(2)]),
            "map[a:1 b:2]"
        );
        assert_eq!(out("unset", &[m(&[("a", i(1))]), s("a")]), "map[]");
        assert_eq!(out("hasKey", &[Value::Nil, s("a")]), "false");
    }

    #[test]
    fn dig_paths() {
        let data = m(&[("a", m(&[("b", i(1))]))]);
        assert_eq!(out("dig", &[s("a"), s("b"), s("def"), data.clone()]), "1");
        assert_eq!(out("dig", &[s("a"), s("x"), s("def"), data]), "def");
        assert_eq!(
            out("dig", &[s("a"), s("b"), s("def"), m(&[("a", i(1))])]),
            "error: interface conversion: interface {} is int, not map[string]interface {}"
        );
    }
}

mod yaml_json {
    use super::*;

    #[test]
    fn to_yaml_quotes_wraps_and_folds_like_helm() {
        let strings = [
            "true",
            "1.0",
            "",
            "null",
            "yes",
            "Yes",
            "on",
            "y",
            "~",
            "a\nb\n",
            "a\nb",
            " lead",
            "trail ",
            "a: b",
            "#x",
            "- x",
            "*a",
            "&a",
            "!t",
            "%x",
            "@x",
            "`x",
            "{x",
            "[x",
            "x]",
            "'q'",
            "\"dq\"",
            "0x10",
            "0o17",
            "1e3",
            "01",
            ".5",
            "-",
            "1_000",
            "2001-12-14",
            "12:30",
            "\u{e9}",
            "tab\there",
            "x\ty",
            ": x",
            "a #b",
            "a# b",
            "?",
            "? x",
            "|",
            ">",
            "=",
            "<<",
            ".inf",
            ".NaN",
            "NULL",
            "False",
            "OFF",
            "this is a long string with many words that goes beyond eighty characters for sure yes indeed",
            "  two leading spaces\nand lines",
            "trailing newlines\n\n",
            "line\r\nwin",
            "\u{1}ctl",
        ];
        let mut items: Vec<Value> = strings.iter().map(|t| s(t)).collect();
        items.extend([
            f(1e6),
            f(0.000001),
            f(123456789.0),
            f(1.0),
            f(-3.0),
            Value::Bool(true),
            Value::Nil,
            l(vec![]),
            m(&[]),
            l(vec![l(vec![f(1.0), f(2.0)]), l(vec![f(3.0)])]),
            l(vec![
                m(&[("a", f(1.0)), ("b", l(vec![s("x"), Value::Bool(true)]))]),
                m(&[("c", m(&[("d", s("e"))]))]),
            ]),
        ]);
        let expected = r#"- "true"
- "1.0"
- ""
- "null"
- "yes"
- "Yes"
- "on"
- "y"
- "~"
- |
  a
  b
- |-
  a
  b
- ' lead'
- 'trail '
- 'a: b'
- '#x'
- '- x'
- '*a'
- '&a'
- '!t'
- '%x'
- '@x'
- '`x'
- '{x'
- '[x'
- x]
- '''q'''
- '"dq"'
- "0x10"
- "0o17"
- "1e3"
- "01"
- ".5"
- '-'
- "1_000"
- "2001-12-14"
- "12:30"
- é
- "tab\there"
- "x\ty"
- ': x'
- 'a #b'
- a# b
- '?'
- '? x'
- '|'
- '>'
- =
- <<
- ".inf"
- ".NaN"
- "NULL"
- "False"
- "OFF"
- this is a long string with many words that goes beyond eighty characters for sure
  yes indeed
- |2-
    two leading spaces
  and lines
- |+
  trailing newlines

- "line\r\nwin"
- "\x01ctl"
- 1000000
- 1e-06
- 123456789
- 1
- -3
- true
- null
- []
- {}
- - - 1
    - 2
  - - 3
- - a: 1
    b:
    - x
    - true
  - c:
      d: e"#;
        assert_eq!(out("toYaml", &[l(items)]), expected);
    }

    #[test]
    fn to_yaml_sorts_keys_as_go_yaml() {
        let value = m(&[
            ("a10", i(1)),
            ("a2", i(2)),
            ("_x", i(3)),
            ("B", i(4)),
            ("b", i(5)),
            ("a", l(vec![])),
            ("e", m(&[])),
        ]);
        assert_eq!(
            out("toYaml", &[value]),
            "_x: 3\nB: 4\na: []\na2: 2\na10: 1\nb: 5\ne: {}"
        );
        assert_eq!(out("toYaml", &[Value::Nil]), "null");
        assert_eq!(out("toYaml", &[f(f64::NAN)]), "");
    }

    #[test]
    fn to_yaml_pretty_indents_sequences() {
        let value = m(&[
            ("l", l(vec![i(1), s("yes"), m(&[("a", i(1))])])),
            ("f", f(1e6)),
            (
                "long",
                s(
                    "this is a long string with many words that goes beyond eighty characters for sure yes indeed",
                ),
            ),
        ]);
        assert_eq!(
            out("toYamlPretty", &[value]),
            "f: 1e+06\nl:\n  - 1\n  - \"yes\"\n  - a: 1\nlong: this is a long string with many words that goes beyond eighty characters for sure yes indeed"
        );
    }

    #[test]
    fn json_encoding() {
        let value = m(&[
            ("h", s("<a&b>")),
            ("f", f(1e-7)),
            ("g", f(1e21)),
            ("u", s("\u{2028}")),
        ]);
        assert_eq!(
            out("toJson", &[value]),
            r#"{"f":1e-7,"g":1e+21,"h":"\u003ca\u0026b\u003e","u":"\u2028"}"#
        );
        assert_eq!(out("toRawJson", &[m(&[("h", s("<a>"))])]), r#"{"h":"<a>"}"#);
        assert_eq!(
            out(
                "toPrettyJson",
                &[m(&[("a", l(vec![i(1), m(&[])])), ("b", l(vec![]))])]
            ),
            "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}"
        );
        assert_eq!(out("toJson", &[f(f64::INFINITY)]), "");
        assert_eq!(
            out("mustToJson", &[f(f64::NAN)]),
            "error: json: unsupported value: NaN"
        );
    }

    #[test]
    fn decoding_reports_errors_in_the_result() {
        let cases = [
            (
                "fromYaml",
                "[1]",
                "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}]",
            ),
            (
                "fromYaml",
                "x",
                "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}]",
            ),
            ("fromYaml", "", "map[]"),
            (
                "fromYamlArray",
                "a: 1",
                "[error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}]",
            ),
            (
                "fromJson",
                "[1]",
                "map[Error:json: cannot unmarshal array into Go value of type map[string]interface {}]",
            ),
            ("fromJson", "", "map[Error:unexpected end of JSON input]"),
            (
                "fromJsonArray",
                "{}",
                "[json: cannot unmarshal object into Go value of type []interface {}]",
            ),
            ("fromJson", "{\"a\":1}", "map[a:1]"),
        ];
        for (name, text, expected) in cases {
            assert_eq!(out(name, &[s(text)]), expected, "{name} {text:?}");
        }
        let decoded = call("fromYaml", &[s("a: 1\nb: yes")]).unwrap();
        let Value::Map(map) = decoded else { panic!() };
        assert_eq!(map.borrow()["a"].type_name(), "float64");
        assert_eq!(map.borrow()["b"].type_name(), "bool");
        assert!(
            out("fromYaml", &[s("a: [")])
                .starts_with("map[Error:error converting YAML to JSON: yaml: line 1: ")
        );
        assert_eq!(
            out("mustFromJson", &[s("")]),
            "error: unexpected end of JSON input"
        );
    }
}

mod encoding {
    use super::*;

    #[test]
    fn encodings_and_sums() {
        assert_eq!(out("b64enc", &[s("hello")]), "aGVsbG8=");
        assert_eq!(out("b64dec", &[s("aGVsbG8=")]), "hello");
        assert_eq!(out("b32enc", &[s("hello")]), "NBSWY3DP");
        assert_eq!(out("b32dec", &[s("NBSWY3DP")]), "hello");
        assert_eq!(
            out("sha1sum", &[s("hello")]),
            "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"
        );
        assert_eq!(
            out("sha256sum", &[s("hello")]),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        assert_eq!(out("adler32sum", &[s("hello")]), "103547413");
        assert_eq!(
            out("b64dec", &[s("a")]),
            "illegal base64 data at input byte 0"
        );
        assert_eq!(
            out("b64dec", &[s("aGVsbG8")]),
            "illegal base64 data at input byte 4"
        );
        assert_eq!(
            out("b32dec", &[s("x")]),
            "illegal base32 data at input byte 0"
        );
    }
}

mod semver {
    use super::*;

    #[test]
    fn constraints_match_like_masterminds() {
        let cases = [
            (">=1.19-0", "v1.30.0", true),
            ("^1.2", "1.9.0", true),
            ("~1.2", "1.3.0", false),
            ("1.2.x", "1.2.9", true),
            ("*", "1.0.0-beta", false),
            (">1.2", "1.2.5", false),
            ("<=1.2", "1.2.5", true),
            ("1.2 - 1.4", "1.4.9", true),
            (">=1 <2 || 3", "3.1.0", true),
            ("!=1.2.x", "1.2.3", false),
            ("^0.2.3", "0.2.9", true),
            ("^0.2.3", "0.3.0", false),
            (">1.0.0-alpha", "1.0.0-beta.2", true),
            ("<1.0.0-alpha.10", "1.0.0-alpha.9", true),
        ];
        for (constraint, version, expected) in cases {
            assert_eq!(
                out("semverCompare", &[s(constraint), s(version)]),
                expected.to_string(),
                "{constraint} {version}"
            );
        }
        assert_eq!(
            out("semverCompare", &[s("foo"), s("1.0.0")]),
            "error: improper constraint: foo"
        );
        assert_eq!(
            out("semverCompare", &[s("1"), s("x")]),
            "error: Invalid Semantic Version"
        );
    }

    #[test]
    fn versions_have_fields() {
        let Value::Object(version) = call("semver", &[s("v1.2.3-rc.1+b5")]).unwrap() else {
            panic!("not an object")
        };
        let fields: Vec<String> = [
            "Major",
            "Minor",
            "Patch",
            "Prerelease",
            "Metadata",
            "Original",
        ]
        .iter()
        .map(|name| version.field(name).unwrap().to_string())
        .collect();
        assert_eq!(fields, ["1", "2", "3", "rc.1", "b5", "v1.2.3-rc.1+b5"]);
        assert_eq!(version.display(), "1.2.3-rc.1+b5");
        assert_eq!(version.type_name(), "*semver.Version");
        assert_eq!(out("semver", &[s("1.2")]), "1.2.0");
        assert_eq!(out("semver", &[s("1.02.3")]), "1.2.3");
        assert_eq!(
            out("semver", &[s("1.2.3.4")]),
            "error: Invalid Semantic Version"
        );
        let other = call("semver", &[s("1.2.3")]).unwrap();
        assert_eq!(
            version
                .method("Compare", &[other])
                .unwrap()
                .unwrap()
                .to_string(),
            "-1"
        );
    }
}

mod regex {
    use super::*;

    #[test]
    fn regex_functions() {
        assert_eq!(
            out("regexFindAll", &[s("[a-c]"), s("abcdab"), i(2)]),
            "[a b]"
        );
        assert_eq!(
            out("regexFindAll", &[s("a*"), s("baaab"), i(-1)]),
            "[ aaa ]"
        );
        assert_eq!(out("regexSplit", &[s("a"), s("banana"), i(-1)]), "[b n n ]");
        assert_eq!(
            out("regexSplit", &[s("a*"), s("banana"), i(-1)]),
            "[b n n ]"
        );
        assert_eq!(out("regexSplit", &[s("x"), s(""), i(-1)]), "[]");
        assert_eq!(
            out(
                "regexReplaceAll",
                &[s("a(x*)b"), s("-ab-axxb-"), s("${1}W")]
            ),
            "-W-xxW-"
        );
        assert_eq!(
            out("regexReplaceAll", &[s("a(x*)b"), s("-ab-axxb-"), s("$1W")]),
            "---"
        );
        assert_eq!(
            out("regexReplaceAllLiteral", &[s("a(x*)b"), s("-ab-"), s("$1")]),
            "-$1-"
        );
        assert_eq!(out("regexQuoteMeta", &[s("a.b*c")]), "a\\.b\\*c");
        // Go's \d and \w are ASCII-only.
        assert_eq!(out("regexMatch", &[s("\\d"), s("\u{663}")]), "false");
        assert_eq!(out("regexFind", &[s("\\w+"), s("h\u{e9}llo")]), "h");
        assert_eq!(out("regexMatch", &[s("("), s("x")]), "false");
    }

    #[test]
    fn regex_compiled_once_per_pattern() {
        let env = Env::default();
        let replace =
            |pattern: &str| call_in(&env, "regexReplaceAll", &[s(pattern), s("a1b22"), s("#")]);
        assert_eq!(replace("[0-9]+"), Ok(s("a#b#")));
        assert_eq!(replace("[0-9]+"), Ok(s("a#b#")));
        assert_eq!(replace("b"), Ok(s("a1#22")));
        // A pattern that does not compile is not kept, and fails again.
        assert!(replace("(").is_err());
        assert!(replace("(").is_err());
        assert_eq!(env.regexes.count(), 2);
    }

    #[test]
    fn regex_errors() {
        assert_eq!(
            out("mustRegexMatch", &[s("("), s("x")]),
            "error: error parsing regexp: missing closing ): `(`"
        );
        assert_eq!(
            out("regexFind", &[s("("), s("x")]),
            "error: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"
        );
    }
}

mod paths_and_urls {
    use super::*;

    #[test]
    fn paths() {
        let cases = [
            ("base", "/a/b/", "b"),
            ("base", "", "."),
            ("dir", "a/b/c", "a/b"),
            ("dir", "", "."),
            ("ext", "a/b.tar.gz", ".gz"),
            ("clean", "a//b/../c/.", "a/c"),
            ("clean", "", "."),
            ("isAbs", "/x", "true"),
            ("base", "/", "/"),
            ("dir", "/a", "/"),
        ];
        for (name, path, expected) in cases {
            assert_eq!(out(name, &[s(path)]), expected, "{name} {path:?}");
        }
    }

    #[test]
    fn urls() {
        assert_eq!(
            out("urlParse", &[s("https://u:p@h.com:80/p/a%20b?q=1#frag")]),
            "map[fragment:frag host:h.com:80 hostname:h.com opaque: path:/p/a b query:q=1 scheme:https userinfo:u:p]"
        );
        assert_eq!(
            out("urlParse", &[s("mailto:x@y")]),
            "map[fragment: host: hostname: opaque:x@y path: query: scheme:mailto userinfo:]"
        );
        let parts = m(&[
            ("scheme", s("https")),
            ("host", s("h")),
            ("path", s("p q")),
            ("query", s("a=1")),
            ("fragment", s("f")),
            ("userinfo", s("u:p")),
        ]);
        assert_eq!(out("urlJoin", &[parts]), "https://u:p@h/p%20q?a=1#f");
        assert_eq!(
            out("urlParse", &[s("%zz")]),
            "error: unable to parse url: parse \"%zz\": invalid URL escape \"%zz\""
        );
    }
}

mod random {
    use super::*;

    #[test]
    fn generators_are_seeded_and_well_formed() {
        let first = Env::default();
        let second = Env::default();
        let a = call_in(&first, "randAlphaNum", &[i(16)])
            .unwrap()
            .to_string();
        let b = call_in(&second, "randAlphaNum", &[i(16)])
            .unwrap()
            .to_string();
        assert_eq!(a, b, "same seed, same output");
        assert_eq!(a.len(), 16);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
        let again = call_in(&first, "randAlphaNum", &[i(16)])
            .unwrap()
            .to_string();
        assert_ne!(a, again, "the sequence advances");
        let uuid = call("uuidv4", &[]).unwrap().to_string();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        let numeric = call("randNumeric", &[i(8)]).unwrap().to_string();
        assert!(numeric.bytes().all(|c| c.is_ascii_digit()));
        let n = call("randInt", &[i(5), i(7)]).unwrap();
        assert!(matches!(n, Value::Int(5 | 6)));
        assert_eq!(
            out("randInt", &[i(5), i(5)]),
            "error: invalid argument to Intn"
        );
        let shuffled = call("shuffle", &[s("hello")]).unwrap().to_string();
        let mut letters: Vec<char> = shuffled.chars().collect();
        letters.sort();
        assert_eq!(letters.into_iter().collect::<String>(), "ehllo");
        let table = all();
        assert!(
            table
                .iter()
                .find(|d| d.name == "randAlphaNum")
                .unwrap()
                .generated
        );
        assert!(!table.iter().find(|d| d.name == "trunc").unwrap().generated);
    }

    #[test]
    fn certificates_and_keys() {
        let Value::Object(ca) = call("genCA", &[s("x"), i(1)]).unwrap() else {
            panic!()
        };
        assert_eq!(ca.type_name(), "sprig.certificate");
        let cert = ca.field("Cert").unwrap().to_string();
        assert!(cert.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(cert.ends_with("-----END CERTIFICATE-----\n"));
        assert!(cert.lines().all(|line| line.len() <= 64));
        let key = ca.field("Key").unwrap().to_string();
        assert!(key.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        let signed = call(
            "genSignedCert",
            &[
                s("svc"),
                Value::Nil,
                l(vec![s("svc.ns")]),
                i(365),
                Value::Object(ca),
            ],
        );
        assert!(signed.is_ok());
        assert_eq!(
            out(
                "genSignedCert",
                &[s("svc"), Value::Nil, Value::Nil, i(1), s("ca")]
            ),
            "error: wrong type for value; expected sprig.certificate; got string"
        );
        assert_eq!(out("genPrivateKey", &[s("foo")]), "Unknown type foo");
        assert!(out("genPrivateKey", &[s("ecdsa")]).starts_with("-----BEGIN EC PRIVATE KEY-----"));
        assert_eq!(
            out("htpasswd", &[s("a:b"), s("p")]),
            "invalid username: a:b"
        );
        let line = out("htpasswd", &[s("admin"), s("p")]);
        assert!(line.starts_with("admin:$2a$10$") && line.len() == "admin:".len() + 60);
    }
}

mod dates {
    use super::*;

    fn date_of(text: &str) -> Value {
        call("toDate", &[s("2006-01-02"), s(text)]).unwrap()
    }

    #[test]
    fn formatting_and_parsing() {
        assert_eq!(
            out(
                "date",
                &[s("2006-01-02 15:04:05 Mon Jan _2 3PM .000 -0700 MST"), i(0)]
            ),
            "1970-01-01 00:00:00 Thu Jan  1 12AM .000 +0000 UTC"
        );
        assert_eq!(out("htmlDate", &[i(86400)]), "1970-01-02");
        assert_eq!(out("unixEpoch", &[date_of("2020-05-06")]), "1588723200");
        assert_eq!(
            out("toDate", &[s("2006-01-02"), s("bad")]),
            "0001-01-01 00:00:00 +0000 UTC"
        );
        assert_eq!(
            out("dateModify", &[s("1h30m"), date_of("2020-05-06")]),
            "2020-05-06 01:30:00 +0000 UTC"
        );
        assert_eq!(
            out("dateModify", &[s("zz"), date_of("2020-05-06")]),
            "2020-05-06 00:00:00 +0000 UTC"
        );
        assert_eq!(
            out(
                "dateInZone",
                &[s("2006-01-02 15:04 MST"), i(0), s("Nowhere/X")]
            ),
            "1970-01-01 00:00 UTC"
        );
        assert_eq!(
            out("mustToDate", &[s("2006-01-02"), s("bad")]),
            "error: parsing time \"bad\" as \"2006-01-02\": cannot parse \"bad\" as \"2006\""
        );
        assert_eq!(out("now", &[]), "2000-01-01 00:00:00 +0000 UTC");
        assert_eq!(out("date", &[s("2006"), f(1.0)]), "2000", "floats mean now");
        assert_eq!(
            out(
                "date",
                &[s("Monday 02 January 2006 15h04"), date_of("2024-02-29")]
            ),
            "Thursday 29 February 2024 00h00"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(out("duration", &[s("90")]), "1m30s");
        assert_eq!(out("duration", &[i(3700)]), "1h1m40s");
        assert_eq!(out("duration", &[f(90.0)]), "0s");
        assert_eq!(out("durationRound", &[s("3700s")]), "1h");
        assert_eq!(out("durationRound", &[s("-3700s")]), "1h");
        assert_eq!(out("durationRound", &[i(100)]), "0s");
        assert_eq!(out("ago", &[i(946_684_800 - 3661)]), "1h1m1s");
    }
}

mod table {
    use super::*;

    /// Every function helm v3.17.3 defines for templates, less the engine's
    /// own (include, tpl, required, fail, lookup).
    const HELM_NAMES: &[&str] = &[
        "abbrev",
        "abbrevboth",
        "add",
        "add1",
        "add1f",
        "addf",
        "adler32sum",
        "ago",
        "all",
        "any",
        "append",
        "atoi",
        "b32dec",
        "b32enc",
        "b64dec",
        "b64enc",
        "base",
        "bcrypt",
        "biggest",
        "buildCustomCert",
        "camelcase",
        "cat",
        "ceil",
        "chunk",
        "clean",
        "coalesce",
        "compact",
        "concat",
        "contains",
        "date",
        "dateInZone",
        "dateModify",
        "date_in_zone",
        "date_modify",
        "deepCopy",
        "decryptAES",
        "deepEqual",
        "derivePassword",
        "default",
        "dict",
        "dig",
        "dir",
        "div",
        "divf",
        "duration",
        "durationRound",
        "empty",
        "encryptAES",
        "ext",
        "first",
        "float64",
        "floor",
        "fromJson",
        "fromJsonArray",
        "fromToml",
        "fromYaml",
        "fromYamlArray",
        "genCA",
        "genCAWithKey",
        "genPrivateKey",
        "genSelfSignedCert",
        "genSelfSignedCertWithKey",
        "genSignedCert",
        "genSignedCertWithKey",
        "get",
        "getHostByName",
        "has",
        "hasKey",
        "hasPrefix",
        "hasSuffix",
        "hello",
        "htmlDate",
        "htmlDateInZone",
        "htpasswd",
        "indent",
        "initial",
        "initials",
        "int",
        "int64",
        "isAbs",
        "join",
        "kebabcase",
        "keys",
        "kindIs",
        "kindOf",
        "last",
        "list",
        "lower",
        "max",
        "maxf",
        "merge",
        "mergeOverwrite",
        "min",
        "minf",
        "mod",
        "mul",
        "mulf",
        "mustAppend",
        "mustChunk",
        "mustCompact",
        "mustDateModify",
        "mustDeepCopy",
        "mustFirst",
        "mustFromJson",
        "mustHas",
        "mustInitial",
        "mustLast",
        "mustMerge",
        "mustMergeOverwrite",
        "mustPrepend",
        "mustPush",
        "mustRegexFind",
        "mustRegexFindAll",
        "mustRegexMatch",
        "mustRegexReplaceAll",
        "mustRegexReplaceAllLiteral",
        "mustRegexSplit",
        "mustRest",
        "mustReverse",
        "mustSlice",
        "mustToDate",
        "mustToJson",
        "mustToPrettyJson",
        "mustToRawJson",
        "mustUniq",
        "mustWithout",
        "must_date_modify",
        "nindent",
        "nospace",
        "now",
        "omit",
        "osBase",
        "osClean",
        "osDir",
        "osExt",
        "osIsAbs",
        "pick",
        "pluck",
        "plural",
        "prepend",
        "push",
        "quote",
        "randAlpha",
        "randAlphaNum",
        "randAscii",
        "randBytes",
        "randInt",
        "randNumeric",
        "regexFind",
        "regexFindAll",
        "regexMatch",
        "regexQuoteMeta",
        "regexReplaceAll",
        "regexReplaceAllLiteral",
        "regexSplit",
        "repeat",
        "replace",
        "rest",
        "reverse",
        "round",
        "semver",
        "semverCompare",
        "seq",
        "set",
        "sha1sum",
        "sha256sum",
        "sha512sum",
        "shuffle",
        "slice",
        "snakecase",
        "sortAlpha",
        "split",
        "splitList",
        "splitn",
        "squote",
        "sub",
        "subf",
        "substr",
        "swapcase",
        "ternary",
        "title",
        "toDate",
        "toDecimal",
        "toJson",
        "toPrettyJson",
        "toRawJson",
        "toString",
        "toStrings",
        "toToml",
        "toYaml",
        "toYamlPretty",
        "trim",
        "trimAll",
        "trimPrefix",
        "trimSuffix",
        "trimall",
        "trunc",
        "tuple",
        "typeIs",
        "typeIsLike",
        "typeOf",
        "uniq",
        "unixEpoch",
        "unset",
        "until",
        "untilStep",
        "untitle",
        "upper",
        "urlJoin",
        "urlParse",
        "uuidv4",
        "values",
        "without",
        "wrap",
        "wrapWith",
    ];

    #[test]
    fn registers_helms_functions_once() {
        let mut registered: Vec<&str> = all().iter().map(|def| def.name).collect();
        registered.sort_unstable();
        let count = registered.len();
        registered.dedup();
        assert_eq!(registered.len(), count, "duplicate names");
        let mut expected = HELM_NAMES.to_vec();
        expected.sort_unstable();
        assert_eq!(registered, expected);
    }

    #[test]
    fn argument_errors_are_recognized() {
        let message = call("trunc", &[i(1)]).unwrap_err();
        assert!(super::super::is_argument_error(&message));
        let message = call("div", &[i(1), i(0)]).unwrap_err();
        assert!(!super::super::is_argument_error(&message));
    }
}

mod yaml_keys_and_folding {
    use super::*;

    #[test]
    fn to_yaml_keys_and_nested_folding() {
        let first = m(&[
            (
                "name",
                s(
                    "this is a long string with many words that goes beyond eighty characters for sure yes indeed and more words",
                ),
            ),
            ("yes", f(1.0)),
            ("a b", f(2.0)),
            ("", f(3.0)),
            ("key: x", f(4.0)),
            ("multi\nline", f(5.0)),
            ("1", f(6.0)),
            ("-x", f(7.0)),
        ]);
        let items = vec![
            first,
            s(
                "'this is a single quoted long string with many words that goes beyond eighty characters' x",
            ),
            s(
                "tab\tin a long double quoted string with many words that goes beyond eighty characters for sure yes",
            ),
            s(
                "a very long word: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b",
            ),
            s("multi\n  indented\nlines\n"),
            s("ends with space \nx"),
            s("\n"),
            s("x\n "),
            f(1.5e300),
            f(-0.0),
            f(0.1),
            f(1e20),
            f(1e21),
        ];
        let expected = r#"k:
- "": 3
  -x: 7
  "1": 6
  a b: 2
  'key: x': 4
  ? |-
    multi
    line
  : 5
  name: this is a long string with many words that goes beyond eighty characters for
    sure yes indeed and more words
  "yes": 1
- '''this is a single quoted long string with many words that goes beyond eighty characters''
  x'
- "tab\tin a long double quoted string with many words that goes beyond eighty characters
  for sure yes"
- 'a very long word: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
  b'
- |
  multi
    indented
  lines
- "ends with space \nx"
- |2+

- "x\n "
- 1.5e+300
- 0
- 0.1
- 1e+20
- 1e+21"#;
        assert_eq!(out("toYaml", &[m(&[("k", l(items))])]), expected);
    }
}

mod toml {
    use super::*;

    #[test]
    fn from_toml_keeps_integers() {
        assert_eq!(
            out("fromToml", &[s("a = 1\nb = 1.5\n[t]\nc = \"x\"")]),
            "map[a:1 b:1.5 t:map[c:x]]"
        );
        let Value::Map(map) = call("fromToml", &[s("a = 1")]).unwrap() else {
            panic!()
        };
        assert_eq!(map.borrow()["a"].type_name(), "int");
        let Value::Map(map) = call("fromToml", &[s("a = ")]).unwrap() else {
            panic!()
        };
        assert!(
            map.borrow()["Error"]
                .to_string()
                .starts_with("toml: line 0: ")
        );
    }

    #[test]
    fn to_toml_like_burntsushi() {
        let value = m(&[
            ("a", i(1)),
            ("s", s("x\"y")),
            ("f", f(1.5)),
            ("b", Value::Bool(true)),
            ("l", l(vec![i(1), i(2)])),
            ("m", m(&[("k", s("v")), ("n", m(&[("z", i(1))]))])),
            ("lm", l(vec![m(&[("q", i(1))])])),
            ("e", m(&[])),
            ("k y", i(1)),
            ("nil", Value::Nil),
        ]);
        assert_eq!(
            out("toToml", &[value]),
            "a = 1\nb = true\nf = 1.5\n\"k y\" = 1\nl = [1, 2]\ns = \"x\\\"y\"\n\n[e]\n\n[[lm]]\n  q = 1\n\n[m]\n  k = \"v\"\n  [m.n]\n    z = 1\n"
        );
        let value = m(&[
            ("f", f(1e6)),
            ("g", f(1e21)),
            ("h", f(0.000001)),
            ("i", f(3.0)),
            ("s", s("t\tab\u{1}\u{e9}")),
            ("em", l(vec![])),
            ("ll", l(vec![l(vec![i(1)]), s("a")])),
        ]);
        assert_eq!(
            out("toToml", &[value]),
            "em = []\nf = 1000000.0\ng = 1000000000000000000000.0\nh = 0.000001\ni = 3.0\nll = [[1], \"a\"]\ns = \"t\\tab\\u0001\u{e9}\"\n"
        );
    }
}

mod hostile_input {
    use super::*;
    use std::rc::Rc;

    /// Every function, called with every combination of up to three odd
    /// arguments, returns a value or an error: no panic, no runaway.
    #[test]
    fn no_function_panics() {
        let version = call("semver", &[s("1.2.3")]).unwrap();
        let time = call("now", &[]).unwrap();
        let pool = vec![
            Value::Nil,
            i(i64::MIN),
            i(-1),
            i(2),
            i(1 << 40),
            f(f64::NAN),
            f(-1e300),
            s(""),
            s("%\u{e9}{x\n"),
            Value::Bytes(Rc::from(vec![0xff, 0x00])),
            l(vec![Value::Nil, m(&[("a", i(1))])]),
            m(&[("a", m(&[]))]),
            version,
            time,
        ];
        let mut argument_lists: Vec<Vec<Value>> = vec![vec![]];
        for a in &pool {
            argument_lists.push(vec![a.clone()]);
            for b in &pool {
                argument_lists.push(vec![a.clone(), b.clone()]);
                for c in &pool {
                    argument_lists.push(vec![a.clone(), b.clone(), c.clone()]);
                }
            }
        }
        let env = Env::default();
        for def in all() {
            for args in &argument_lists {
                let _ = (def.function)(&env, args);
            }
        }
    }
}

mod password {
    use super::*;

    #[test]
    fn derive_password_like_sprig() {
        let cases = [
            (
                1,
                "long",
                "password",
                "user",
                "example.com",
                "ZedaFaxcZaso9*",
            ),
            (
                1,
                "name",
                "a",
                "b",
                "c",
                "cannot find password template name",
            ),
            (1, "basic", "\u{e9}", "\u{fc}", "x.y", "tBT50pzI"),
        ];
        for (counter, kind, password, user, site, expected) in cases {
            assert_eq!(
                out(
                    "derivePassword",
                    &[i(counter), s(kind), s(password), s(user), s(site)]
                ),
                expected,
                "{kind}"
            );
        }
    }
}

mod aes {
    use super::*;

    #[test]
    fn decrypts_what_helm_encrypts() {
        // Encrypted by helm: `encryptAES "secretkey" "plaintext"`.
        assert_eq!(
            out(
                "decryptAES",
                &[
                    s("secretkey"),
                    s("ITkI8JBOdtMzsrB/aXh3V9/3wp+FNL9JytiKQI8rA0U=")
                ]
            ),
            "plaintext"
        );
        let encrypted = call("encryptAES", &[s("k"), s("a longer text over two blocks")]).unwrap();
        assert_eq!(
            out("decryptAES", &[s("k"), encrypted]),
            "a longer text over two blocks"
        );
        assert_eq!(out("encryptAES", &[s("k"), s("")]), "");
        assert_eq!(out("decryptAES", &[s("k"), s("")]), "");
        let errors = [
            (
                "YWJj",
                "runtime error: slice bounds out of range [:16] with capacity 3",
            ),
            ("!!", "illegal base64 data at input byte 0"),
            (
                "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZQ==",
                "crypto/cipher: input not full blocks",
            ),
            (
                "MDEyMzQ1Njc4OWFiY2RlZg==",
                "runtime error: index out of range [-1]",
            ),
        ];
        for (text, message) in errors {
            assert_eq!(
                out("decryptAES", &[s("k"), s(text)]),
                format!("error: {message}")
            );
        }
    }
}

mod objects_in_documents {
    use super::*;

    #[test]
    fn times_and_versions_marshal_as_go() {
        let time = call("toDate", &[s("2006-01-02"), s("2020-05-06")]).unwrap();
        let version = call("semver", &[s("1.2.3")]).unwrap();
        let value = m(&[("t", time), ("v", version)]);
        assert_eq!(
            out("toYaml", std::slice::from_ref(&value)),
            "t: \"2020-05-06T00:00:00Z\"\nv: 1.2.3"
        );
        assert_eq!(
            out("toJson", &[value]),
            r#"{"t":"2020-05-06T00:00:00Z","v":"1.2.3"}"#
        );
    }
}
