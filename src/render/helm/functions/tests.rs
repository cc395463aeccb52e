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
        assert_eq!(out("kebabcase", &[s("HTTPServer Name")]), "http-server-name");
        assert_eq!(out("kebabcase", &[s("fooBar123Baz")]), "foo-bar123-baz");
        assert_eq!(out("camelcase", &[s("http_server-name x")]), "HttpServerNameX");
        assert_eq!(out("camelcase", &[s("helloWorld")]), "HelloWorld");
        assert_eq!(out("camelcase", &[s("HELLO_WORLD")]), "HelloWorld");
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
        assert_eq!(out("wrap", &[i(5), s("hello world foo")]), "hello\nworld\nfoo");
        assert_eq!(
            out("wrap", &[i(3), s("a verylongword b")]),
            "a\nverylongword\nb"
        );
        assert_eq!(
            out("wrapWith", &[i(5), s("\t"), s("hello world foo")]),
            "hello\tworld\tfoo"
        );
        assert_eq!(out("plural", &[s("one"), s("many"), i(2)]), "many");
        assert_eq!(out("toStrings", &[l(vec![i(1), Value::Nil, s("a")])]), "[1 a]");
        assert_eq!(out("split", &[s(","), s("a,b")]), "map[_0:a _1:b]");
        assert_eq!(out("splitn", &[s(","), i(2), s("a,b,c")]), "map[_0:a _1:b,c]");
        assert_eq!(out("splitList", &[s(","), s("a,b")]), "[a b]");
        assert_eq!(out("join", &[s("-"), l(vec![i(1), Value::Nil, s("a")])]), "1-a");
        assert_eq!(out("join", &[s("-"), s("abc")]), "abc");
        assert_eq!(out("sortAlpha", &[l(vec![s("b"), i(1), s("a")])]), "[1 a b]");
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
