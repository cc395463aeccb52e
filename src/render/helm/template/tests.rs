//! Rendering tests: Go semantics, Helm's engine functions, origins. Expected
//! texts marked "helm" were produced by helm v3.17.3 `helm template`.

use std::rc::Rc;

use super::*;
use crate::render::helm::value::{GoObject, Map};

/// Test-only library functions, standing in for the Sprig set.
fn quote(_: &Env, args: &[Value]) -> Result<Value, String> {
    let text: Vec<String> = args
        .iter()
        .filter(|v| !matches!(v, Value::Nil))
        .map(|v| format!("\"{v}\""))
        .collect();
    Ok(Value::string(text.join(" ")))
}

fn default(_: &Env, args: &[Value]) -> Result<Value, String> {
    match args {
        [fallback, given] => Ok(if given.is_true() {
            given.clone()
        } else {
            fallback.clone()
        }),
        _ => Err("wrong number of args".to_string()),
    }
}

fn nindent(_: &Env, args: &[Value]) -> Result<Value, String> {
    let (Some(Value::Int(n)), Some(Value::String(text))) = (args.first(), args.get(1)) else {
        return Err("bad args".to_string());
    };
    let pad = " ".repeat(*n as usize);
    let indented: Vec<String> = text.split('\n').map(|l| format!("{pad}{l}")).collect();
    Ok(Value::string(format!("\n{}", indented.join("\n"))))
}

fn random(env: &Env, _: &[Value]) -> Result<Value, String> {
    env.seed.set(
        env.seed
            .get()
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1),
    );
    Ok(Value::string(format!("r{}", env.seed.get() % 1000)))
}

fn upper(_: &Env, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(
        args.first()
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_uppercase(),
    ))
}

fn trim(_: &Env, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(
        args.first()
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim(),
    ))
}

fn test_functions() -> Vec<FunctionDef> {
    vec![
        FunctionDef {
            name: "upper",
            function: upper,
            generated: false,
        },
        FunctionDef {
            name: "trim",
            function: trim,
            generated: false,
        },
        FunctionDef {
            name: "quote",
            function: quote,
            generated: false,
        },
        FunctionDef {
            name: "default",
            function: default,
            generated: false,
        },
        FunctionDef {
            name: "nindent",
            function: nindent,
            generated: false,
        },
        FunctionDef {
            name: "random",
            function: random,
            generated: true,
        },
    ]
}

/// `.Files` and `.Capabilities.APIVersions`, as objects with methods.
struct Files;

impl GoObject for Files {
    fn type_name(&self) -> &str {
        "files.Files"
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match (name, args) {
            ("Get", [Value::String(path)]) => Some(Ok(Value::string(format!("content of {path}")))),
            ("Get", _) => Some(Err("wrong number of args for Get: want 1".to_string())),
            _ => None,
        }
    }
    fn display(&self) -> String {
        "files".to_string()
    }
}

struct Versions;

impl GoObject for Versions {
    fn type_name(&self) -> &str {
        "chartutil.VersionSet"
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match name {
            "Has" => Some(Ok(Value::Bool(
                args.first().and_then(Value::as_str) == Some("v1"),
            ))),
            _ => None,
        }
    }
    fn display(&self) -> String {
        "[v1]".to_string()
    }
}

struct Capabilities;

impl GoObject for Capabilities {
    fn type_name(&self) -> &str {
        "*chartutil.Capabilities"
    }
    fn field(&self, name: &str) -> Option<Value> {
        (name == "APIVersions").then(|| Value::Object(Rc::new(Versions)))
    }
    fn method(&self, _: &str, _: &[Value]) -> Option<Result<Value, String>> {
        None
    }
    fn display(&self) -> String {
        "capabilities".to_string()
    }
}

/// JSON as Helm's values: every number a float64.
fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap()),
        serde_json::Value::String(s) => Value::string(s.as_str()),
        serde_json::Value::Array(items) => Value::list(items.iter().map(from_json).collect()),
        serde_json::Value::Object(entries) => Value::map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect(),
        ),
    }
}

fn data() -> Value {
    let values = serde_json::json!({
        "a": 1, "s": "hello", "m": {"k": "v"}, "l": [1, 2],
        "image": {"repository": "nginx", "tag": "1.25"}, "empty": "",
        "nested": {"list": [{"name": "x"}, null]},
        "loop": "{{ tpl .Values.loop . }}",
    });
    let mut root = Map::new();
    root.insert("Values".into(), from_json(&values));
    root.insert(
        "Release".into(),
        from_json(&serde_json::json!({"Name": "rel"})),
    );
    root.insert("Files".into(), Value::Object(Rc::new(Files)));
    root.insert("Capabilities".into(), Value::Object(Rc::new(Capabilities)));
    Value::map(root)
}

const FILE: FileId = FileId(7);
const HELPERS: FileId = FileId(8);

fn set_with(templates: &[(&str, &str)]) -> TemplateSet {
    let mut set = TemplateSet::new(test_functions());
    for (i, (name, text)) in templates.iter().enumerate() {
        let file = if i == 0 { FILE } else { HELPERS };
        set.add(name, file, text).unwrap();
    }
    set
}

fn render_all(templates: &[(&str, &str)]) -> Result<Output, TemplateError> {
    set_with(templates).render(templates[0].0, &data(), &Env::default())
}

fn render(text: &str) -> String {
    match render_all(&[("t", text)]) {
        Ok(out) => out.text,
        Err(e) => format!("ERROR {}", e.message),
    }
}

fn error(text: &str) -> String {
    match render_all(&[("t", text)]) {
        Ok(out) => format!("OK {}", out.text),
        Err(e) => e.message,
    }
}

#[test]
fn text_actions_and_trim_markers() {
    assert_eq!(render("a \n {{- 3 -}} \n b"), "a3b");
    assert_eq!(render("a {{ 3 }} b"), "a 3 b");
    assert_eq!(render("a\n{{- /* c */}}\nb"), "a\nb");
    assert_eq!(render("a {{- /* c */ -}} b"), "ab");
    assert_eq!(render("{{-3}}"), "-3");
    assert_eq!(render("x:\n  {{- \"y\" }}\n"), "x:y\n");
}

#[test]
fn literals_print_like_helm() {
    // helm: `331 15 15 1000 97 1000 1.5 5 -16 1 1e+06 16`
    let text = "{{- 3}}{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 1_000 }} {{ 'a' }} {{ 1e3 }} {{ 1.5 }} {{ 0b101 }} {{ -0x10 }} {{ .Values.a }} {{ 1e6 }} {{ 0x1p4 }}";
    assert_eq!(render(text), "331 15 15 1000 97 1000 1.5 5 -16 1 1e+06 16");
    assert_eq!(
        render(r#"{{ "a\tb" }}|{{ `raw\n` }}|{{ true }}|{{ print nil }}"#),
        "a\tb|raw\\n|true|<nil>"
    );
}

#[test]
fn conditionals() {
    assert_eq!(render("{{ if .Values.a }}yes{{ else }}no{{ end }}"), "yes");
    assert_eq!(
        render("{{ if .Values.nope }}a{{ else if .Values.empty }}b{{ else }}c{{ end }}"),
        "c"
    );
    assert_eq!(
        render("{{ if and .Values.a .Values.s }}{{ or .Values.empty 0 \"x\" }}{{ end }}"),
        "x"
    );
    assert_eq!(render("{{ and 1 0 2 }}{{ or 0 \"\" }}{{ not 0 }}"), "0true");
    assert_eq!(render("{{ with .Values.m }}{{ .k }}{{ end }}"), "v");
    // helm: `1`
    assert_eq!(
        render("{{ with $x := 1 }}{{ $x }}{{ else with 2 }}{{.}}{{ end }}"),
        "1"
    );
    assert_eq!(
        render("{{ with .Values.nope }}a{{ else with .Values.s }}{{ . }}{{ end }}"),
        "hello"
    );
    assert_eq!(render("{{ with .Values.nope }}a{{ else }}b{{ end }}"), "b");
}

#[test]
fn and_or_short_circuit() {
    // The second operand would fail if evaluated.
    assert_eq!(render("{{ and .Values.nope .Values.nope.x }}"), "");
    assert_eq!(render("{{ or .Values.s .Values.nope.x }}"), "hello");
}

#[test]
fn ranges() {
    // helm: `k=vempty0112`
    let text = "{{ range $i, $v := .Values.m }}{{ $i }}={{ $v }}{{ end }}{{ range .Values.nope }}a{{ else }}empty{{ end }}{{ range $i, $e := .Values.l }}{{ $i }}{{ $e }}{{ if eq $i 0 }}{{ continue }}{{ end }}{{ break }}{{ end }}";
    assert_eq!(render(text), "k=vempty0112");
    assert_eq!(render("{{ range .Values.l }}[{{ . }}]{{ end }}"), "[1][2]");
    assert_eq!(render("{{ range $v := .Values.l }}{{ $v }}{{ end }}"), "12");
    assert_eq!(
        error("{{ range .Values.nested.list }}{{ .name }}{{ end }}"),
        "template: t:1:34: executing \"t\" at <.name>: nil pointer evaluating interface {}.name"
    );
    // helm v3.17.3 (Go 1.23) cannot range over integers.
    assert_eq!(
        error("{{ range 3 }}{{.}}{{end}}"),
        "template: t:1:9: executing \"t\" at <3>: range can't iterate over 3"
    );
    assert_eq!(
        error("{{ range .Values.s }}{{ end }}"),
        "template: t:1:16: executing \"t\" at <.Values.s>: range can't iterate over hello"
    );
}

#[test]
fn variables() {
    // helm: `X2`
    assert_eq!(
        render("X{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ $y := 3 }}{{ end }}{{ $x }}"),
        "X2"
    );
    assert_eq!(
        render("{{ with .Values.m }}{{ $.Values.s }}{{ end }}"),
        "hello"
    );
    assert_eq!(
        error("X{{ $x = 3 }}"),
        "template: t:1:9: executing \"t\" at <3>: undefined variable: $x"
    );
    // A variable holding nil: fields on it are nil, not errors (helm).
    assert_eq!(render("X{{ $x := .Values.nope }}{{ $x.a.b }}"), "X");
    assert_eq!(render("X{{ (.Values.nope).a }}"), "X");
}

#[test]
fn fields_methods_and_chains() {
    assert_eq!(render("{{ .Release.Name }}"), "rel");
    assert_eq!(render("{{ (index .Values \"m\").k }}"), "v");
    assert_eq!(render("{{ .Files.Get \"a.txt\" }}"), "content of a.txt");
    assert_eq!(render("{{ \"b.txt\" | .Files.Get }}"), "content of b.txt");
    assert_eq!(render("{{ .Capabilities.APIVersions.Has \"v1\" }}"), "true");
    assert_eq!(
        error("{{ .Files.Nope }}"),
        "template: t:1:9: executing \"t\" at <.Files.Nope>: can't evaluate field Nope in type interface {}"
    );
    assert_eq!(
        error("{{ .Files.Get 1 2 }}"),
        "template: t:1:9: executing \"t\" at <.Files.Get>: error calling Get: wrong number of args for Get: want 1"
    );
    assert_eq!(
        error("{{ .Values.x.y }}"),
        "template: t:1:10: executing \"t\" at <.Values.x.y>: nil pointer evaluating interface {}.y"
    );
    assert_eq!(
        error("{{ .Values.s.x }}"),
        "template: t:1:10: executing \"t\" at <.Values.s.x>: can't evaluate field x in type interface {}"
    );
    assert_eq!(
        error("{{ .Values.m.k 1 }}"),
        "template: t:1:10: executing \"t\" at <.Values.m.k>: k is not a method but has arguments"
    );
    assert_eq!(
        error("{{ 1 2 }}"),
        "template: t:1:3: executing \"t\" at <1>: can't give argument to non-function 1"
    );
    assert_eq!(
        error("X{{ nil }}"),
        "template: t:1:4: executing \"t\" at <nil>: nil is not a command"
    );
}

#[test]
fn builtin_errors_carry_go_texts() {
    // All from helm, with the file renamed.
    let cases = [
        (
            "{{ eq .Values.a 1 }}",
            "template: t:1:3: executing \"t\" at <eq .Values.a 1>: error calling eq: incompatible types for comparison",
        ),
        (
            "{{ len .Values.nope }}",
            "template: t:1:3: executing \"t\" at <len .Values.nope>: error calling len: len of nil pointer",
        ),
        (
            "{{ index .Values.l 5 }}",
            "template: t:1:3: executing \"t\" at <index .Values.l 5>: error calling index: index out of range: 5",
        ),
        (
            "{{ lt 1 \"a\" }}",
            "template: t:1:3: executing \"t\" at <lt 1 \"a\">: error calling lt: incompatible types for comparison",
        ),
        (
            "{{ eq .Values.m .Values.m }}",
            "template: t:1:3: executing \"t\" at <eq .Values.m .Values.m>: error calling eq: non-comparable type map[k:v]: map[string]interface {}",
        ),
        (
            "{{ and 1 }}{{ and }}",
            "template: t:1:14: executing \"t\" at <and>: wrong number of args for and: want at least 1 got 0",
        ),
        (
            "{{ not 1 2 }}",
            "template: t:1:3: executing \"t\" at <not>: wrong number of args for not: want 1 got 2",
        ),
        (
            "X{{ printf 3 }}",
            "template: t:1:11: executing \"t\" at <3>: expected string; found 3",
        ),
        (
            "X{{ printf .Values.a }}",
            "template: t:1:18: executing \"t\" at <.Values.a>: wrong type for value; expected string; got float64",
        ),
        (
            "X{{ printf .Values.nope }}",
            "template: t:1:18: executing \"t\" at <.Values.nope>: wrong type for value; expected string; got interface {}",
        ),
        (
            "X{{ call .Values.s 1 }}",
            "template: t:1:4: executing \"t\" at <call .Values.s 1>: error calling call: non-function .Values.s of type string",
        ),
        (
            "X{{ template \"nope\" }}",
            "template: t:1:13: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" not defined",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(error(text), expected, "{text}");
    }
    assert_eq!(
        render("{{ eq .Values.nope .Values.nope2 }} {{ eq .Values.s nil }} {{ eq 1 2 1 }}"),
        "true false true"
    );
}

#[test]
fn printing_functions() {
    // helm: `1%!(EXTRA int=2, string=x)|1 2ab3 <nil>|1 a\n|`
    assert_eq!(
        render(
            "{{ printf \"%d\" 1 2 \"x\" }}|{{ print 1 2 \"a\" \"b\" 3 nil }}|{{ println 1 \"a\" }}|"
        ),
        "1%!(EXTRA int=2, string=x)|1 2ab3 <nil>|1 a\n|"
    );
    assert_eq!(
        render("{{ .Values.s | printf \"%s-%s\" \"a\" }}"),
        "a-hello"
    );
    assert_eq!(
        render("{{ printf \"%v %d\" .Values.l .Values.a }}"),
        "[1 2] %!d(float64=1)"
    );
    assert_eq!(
        render("{{ html \"<a>\" }} {{ js \"'\" }} {{ urlquery \"a b\" }}"),
        "&lt;a&gt; \\' a+b"
    );
    assert_eq!(render("{{ .Values.m }} {{ .Values.l }}"), "map[k:v] [1 2]");
}

#[test]
fn missing_values_print_nothing_after_helm_cleanup() {
    assert_eq!(render("a{{ .Values.nope }}b"), "ab");
    let set = set_with(&[("t", "a{{ .Values.nope }}b")]);
    let options = RenderOptions {
        strip_no_value: false,
    };
    let out = set
        .render_with("t", &data(), &Env::default(), &options)
        .unwrap();
    assert_eq!(out.text, "a<no value>b");
}

#[test]
fn define_template_block_and_include() {
    let helpers = "{{- define \"labels\" }}app: {{ .Values.s }}{{ end }}{{ define \"name\" }}{{ .Release.Name }}{{ end }}";
    let out = render_all(&[
        ("t", "{{ template \"labels\" . }}|{{ include \"name\" . }}|{{ block \"b\" . }}default{{ end }}"),
        ("h", helpers),
    ])
    .unwrap();
    assert_eq!(out.text, "app: hello|rel|default");
    // `template` without data executes with nil dot: fields are nil.
    let out = render_all(&[("t", "{{ template \"name\" }}."), ("h", helpers)]).unwrap();
    assert_eq!(out.text, ".");
}

#[test]
fn files_with_the_same_text_keep_their_own_names_and_files() {
    // The second file reuses the first one's parse: its errors, defines and
    // `tpl` must still name it, and a parse error is never reused.
    let text = "{{ define \"lib\" }}{{ .Values.s }}{{ end }}x\n{{ template \"nope\" }}";
    let mut set = TemplateSet::new(test_functions());
    set.add("a/t.yaml", FILE, text).unwrap();
    set.add("b/t.yaml", HELPERS, text).unwrap();
    set.add("c/t.yaml", FileId(9), "{{ include \"lib\" . }}")
        .unwrap();
    for (name, file) in [("a/t.yaml", FILE), ("b/t.yaml", HELPERS)] {
        let error = set.render(name, &data(), &Env::default()).unwrap_err();
        assert_eq!(
            error.message,
            format!(
                "template: {name}:2:12: executing \"{name}\" at <{{{{template \"nope\"}}}}>: template \"nope\" not defined"
            )
        );
        assert_eq!(error.file, Some(file));
    }
    let out = set.render("c/t.yaml", &data(), &Env::default()).unwrap();
    assert_eq!(out.text, "hello");
    let bad = "{{ if }}";
    let first = set.add("a/bad.yaml", FILE, bad).unwrap_err();
    let second = set.add("b/bad.yaml", HELPERS, bad).unwrap_err();
    assert!(
        first.message.starts_with("template: a/bad.yaml:1:"),
        "{}",
        first.message
    );
    assert!(
        second.message.starts_with("template: b/bad.yaml:1:"),
        "{}",
        second.message
    );
    assert_eq!(second.file, Some(HELPERS));
    let twice = "{{ tpl \"{{ .Values.s }}\" . }}{{ tpl \"{{ .Values.s }}\" . }}";
    set.add("d/t.yaml", FILE, twice).unwrap();
    let out = set.render("d/t.yaml", &data(), &Env::default()).unwrap();
    assert_eq!(out.text, "hellohello");
}

#[test]
fn later_definitions_replace_earlier_ones_unless_empty() {
    let mut set = TemplateSet::new(test_functions());
    set.add("a", FILE, "{{ define \"x\" }}first{{ end }}")
        .unwrap();
    set.add("b", FILE, "{{ define \"x\" }}second{{ end }}")
        .unwrap();
    set.add("c", FILE, "{{ define \"x\" }}  {{ end }}").unwrap();
    set.add("t", FILE, "{{ template \"x\" }}").unwrap();
    assert_eq!(
        set.render("t", &data(), &Env::default()).unwrap().text,
        "second"
    );
    let mut names = [
        "c/templates/z.yaml",
        "c/templates/_a.tpl",
        "c/charts/sub/templates/x.yaml",
        "c/templates/b.yaml",
    ];
    helm_parse_order(&mut names);
    assert_eq!(
        names,
        [
            "c/charts/sub/templates/x.yaml",
            "c/templates/z.yaml",
            "c/templates/b.yaml",
            "c/templates/_a.tpl"
        ]
    );
}

#[test]
fn engine_functions() {
    assert_eq!(render("{{ required \"need\" .Values.s }}"), "hello");
    assert_eq!(
        render("{{ lookup \"v1\" \"Pod\" \"ns\" \"n\" | len }}"),
        "0"
    );
    assert_eq!(
        render("{{ tpl \"{{ .Values.s }}-{{ .Values.nope }}\" . }}"),
        "hello-"
    );
    assert_eq!(
        render("{{ tpl \"{{ define \\\"t2\\\" }}in{{ end }}{{ include \\\"t2\\\" . }}\" . }}"),
        "in"
    );
    let err = render_all(&[("t", "{{ required \"need it\" .Values.nope }}")]).unwrap_err();
    assert_eq!(
        err.message,
        "template: t:1:3: executing \"t\" at <required \"need it\" .Values.nope>: error calling required: need it"
    );
    assert_eq!(err.helm_message(), "execution error at (t:1:3): need it");
    let err = render_all(&[(
        "t",
        "{{ .Values.s | required \"m\" }}{{ .Values.empty | required \"msg\" }}",
    )])
    .unwrap_err();
    assert_eq!(err.helm_message(), "execution error at (t:1:49): msg");
    let err = render_all(&[("t", "{{ fail \"boom\" }}")]).unwrap_err();
    assert_eq!(err.helm_message(), "execution error at (t:1:3): boom");
}

#[test]
fn nested_errors_read_like_go() {
    let helpers = "{{- define \"bad\" }}\nx: {{ .Values.x.y }}\n{{- end }}";
    let err = render_all(&[("t", "{{ include \"bad\" . }}"), ("h", helpers)]).unwrap_err();
    // helm, file names aside.
    assert_eq!(
        err.message,
        "template: t:1:3: executing \"t\" at <include \"bad\" .>: error calling include: template: h:2:13: executing \"bad\" at <.Values.x.y>: nil pointer evaluating interface {}.y"
    );
    // The error points at the innermost node, in the helpers file.
    assert_eq!(
        (err.file, err.offset),
        (Some(HELPERS), helpers.find(".Values.x.y").unwrap() + 7)
    );
    let err = render_all(&[("t", "{{ template \"bad\" . }}"), ("h", helpers)]).unwrap_err();
    assert_eq!(
        err.message,
        "template: h:2:13: executing \"bad\" at <.Values.x.y>: nil pointer evaluating interface {}.y"
    );
    assert_eq!(
        error("{{ tpl \"{{ .Values.x.y }}\" . }}"),
        "template: t:1:3: executing \"t\" at <tpl \"{{ .Values.x.y }}\" .>: error calling tpl: error during tpl function execution for \"{{ .Values.x.y }}\": template: gotpl:1:10: executing \"gotpl\" at <.Values.x.y>: nil pointer evaluating interface {}.y"
    );
    assert_eq!(
        error("{{ tpl \"{{ .Values.s \" . }}"),
        "template: t:1:3: executing \"t\" at <tpl \"{{ .Values.s \" .>: error calling tpl: cannot parse template \"{{ .Values.s \": template: gotpl:1: unclosed action"
    );
    assert_eq!(
        error("X{{ include \"nope\" . }}"),
        "template: t:1:4: executing \"t\" at <include \"nope\" .>: error calling include: template: no template \"nope\" associated with template \"gotpl\""
    );
}

#[test]
fn include_recursion_stops_like_helm() {
    let helpers = "{{- define \"rec\" }}{{ include \"rec\" . }}{{ end }}";
    // Runs on a test thread's small stack: the engine grows its own.
    let message = render_all(&[("t", "{{ include \"rec\" . }}"), ("h", helpers)])
        .unwrap_err()
        .message;
    assert!(message.ends_with("error calling include: rendering template has a nested reference name: rec: unable to execute template"), "{}", &message[message.len() - 200..]);
    assert_eq!(message.matches("error calling include").count(), 1002);
}

#[test]
fn template_recursion_stops() {
    let helpers = "{{- define \"r\" }}{{ template \"r\" . }}{{ end }}";
    let err = render_all(&[("t", "{{ template \"r\" . }}"), ("h", helpers)]).unwrap_err();
    assert_eq!(
        err.message,
        "template: h:1:29: executing \"r\" at <{{template \"r\" .}}>: exceeded maximum template depth (1500)"
    );
}

#[test]
fn parse_errors_through_add() {
    let mut set = TemplateSet::new(test_functions());
    let err = set
        .add("c/templates/t.yaml", FILE, "a\n{{ foo }}")
        .unwrap_err();
    assert_eq!(
        err.message,
        "template: c/templates/t.yaml:2: function \"foo\" not defined"
    );
    assert_eq!(
        err.helm_message(),
        "parse error at (c/templates/t.yaml:2): function \"foo\" not defined"
    );
    assert_eq!((err.file, err.offset), (Some(FILE), 5));
    let err = set.add("t", FILE, "{{ if }}").unwrap_err();
    assert_eq!(
        err.helm_message(),
        "parse error at (t:1): missing value for if"
    );
}

#[test]
fn origins_of_text_and_actions() {
    let text = "name: {{ .Release.Name }}\ntag: {{ .Values.image.tag | quote }}\n";
    let out = render_all(&[("t", text)]).unwrap();
    assert_eq!(out.text, "name: rel\ntag: \"1.25\"\n");
    // A text byte maps to its own offset.
    let at = out.origin_at(out.text.find("tag").unwrap()).unwrap();
    assert_eq!(
        (at.file, at.offset, at.values_path),
        (FILE, text.find("tag").unwrap(), None)
    );
    // An action byte maps to the action, with no values path for `.Release`.
    let at = out.origin_at(out.text.find("rel").unwrap() + 1).unwrap();
    assert_eq!(
        (at.offset, at.values_path),
        (text.find("{{").unwrap(), None)
    );
    // A value from `.Values`, through `quote`, carries its path.
    let at = out.origin_at(out.text.find("1.25").unwrap()).unwrap();
    assert_eq!(at.offset, text.find("{{ .Values").unwrap());
    assert_eq!(
        at.values_path,
        Some(&["image".to_string(), "tag".to_string()][..])
    );
    assert!(!at.generated);
    // Every byte is covered.
    assert!((0..out.text.len()).all(|i| out.origin_at(i).is_some()));
    assert!(out.origin_at(out.text.len()).is_none());
}

#[test]
fn values_paths_follow_dot_variables_and_functions() {
    let path = |text: &str, needle: &str| {
        let out = render_all(&[("t", text)]).unwrap();
        let at = out.origin_at(out.text.find(needle).unwrap()).unwrap();
        at.values_path.map(|p| p.join("."))
    };
    assert_eq!(
        path(
            "{{ with .Values.image }}{{ .repository }}{{ end }}",
            "nginx"
        )
        .as_deref(),
        Some("image.repository")
    );
    assert_eq!(
        path("{{ $i := .Values.image }}{{ $i.tag }}", "1.25").as_deref(),
        Some("image.tag")
    );
    assert_eq!(
        path("{{ range .Values.l }}{{ . }}{{ end }}", "2").as_deref(),
        Some("l.1")
    );
    assert_eq!(
        path("{{ index .Values.m \"k\" }}", "v").as_deref(),
        Some("m.k")
    );
    // `default` credits the argument it returned: not the values when it
    // fell back.
    assert_eq!(path("{{ .Values.nope | default \"d\" }}", "d"), None);
    assert_eq!(
        path("{{ .Values.s | default \"d\" }}", "hello").as_deref(),
        Some("s")
    );
    assert_eq!(path("{{ $.Values.s }}", "hello").as_deref(), Some("s"));
    assert_eq!(
        path(
            "{{ printf \"%s:%s\" .Values.image.repository .Values.image.tag }}",
            "nginx"
        ),
        None
    );
    assert_eq!(path("{{ \"lit\" }}", "lit"), None);
}

#[test]
fn generated_values_are_marked() {
    let out = render_all(&[("t", "a {{ random }} {{ random | quote }} b")]).unwrap();
    let first = out.origin_at(2).unwrap();
    assert!(first.generated);
    let quoted = out.origin_at(out.text.rfind('"').unwrap()).unwrap();
    assert!(quoted.generated);
    assert!(!out.origin_at(0).unwrap().generated);
}

#[test]
fn include_output_keeps_the_inner_origins() {
    let helpers = "{{- define \"labels\" -}}\napp: {{ .Values.s }}\nrel: x\n{{- end }}";
    let text = "labels:{{ include \"labels\" . | nindent 2 }}\n";
    let out = render_all(&[("t", text), ("h", helpers)]).unwrap();
    assert_eq!(out.text, "labels:\n  app: hello\n  rel: x\n");
    // Text of the helper maps into the helpers file.
    let at = out.origin_at(out.text.find("rel:").unwrap()).unwrap();
    assert_eq!(
        (at.file, at.offset),
        (HELPERS, helpers.find("rel:").unwrap())
    );
    let at = out.origin_at(out.text.find("app").unwrap() + 1).unwrap();
    assert_eq!(
        (at.file, at.offset),
        (HELPERS, helpers.find("app").unwrap() + 1)
    );
    // A value printed inside the helper keeps its action and values path.
    let at = out.origin_at(out.text.find("hello").unwrap()).unwrap();
    assert_eq!(
        (at.file, at.offset),
        (HELPERS, helpers.find("{{ .Values.s").unwrap())
    );
    assert_eq!(at.values_path, Some(&["s".to_string()][..]));
    // The indentation nindent added belongs to the include action.
    let at = out.origin_at(out.text.find("  app").unwrap()).unwrap();
    assert_eq!((at.file, at.offset), (FILE, text.find("{{").unwrap()));
}

#[test]
fn tpl_output_points_at_the_call() {
    let text = "v: {{ tpl \"x-{{ .Values.s }}\" . }}";
    let out = render_all(&[("t", text)]).unwrap();
    assert_eq!(out.text, "v: x-hello");
    let at = out.origin_at(out.text.find("hello").unwrap()).unwrap();
    assert_eq!((at.file, at.offset), (FILE, 3));
}

#[test]
fn trimming_and_no_value_removal_keep_the_mapping() {
    let text = "a:   \n  {{- .Values.nope }} b {{- \"c\" -}}   \n d";
    let out = render_all(&[("t", text)]).unwrap();
    assert_eq!(out.text, "a: bcd");
    let at = out.origin_at(out.text.find('b').unwrap()).unwrap();
    assert_eq!(at.offset, text.find(" b").unwrap() + 1);
    let at = out.origin_at(out.text.find('d').unwrap()).unwrap();
    assert_eq!(at.offset, text.find('d').unwrap());
    let at = out.origin_at(out.text.find('c').unwrap()).unwrap();
    assert_eq!(at.offset, text.find("{{- \"c\"").unwrap());
}

#[test]
fn template_action_keeps_inner_origins() {
    let helpers = "{{ define \"x\" }}inner{{ end }}";
    let out = render_all(&[("t", "[{{ template \"x\" }}]"), ("h", helpers)]).unwrap();
    assert_eq!(out.text, "[inner]");
    let at = out.origin_at(1).unwrap();
    assert_eq!(
        (at.file, at.offset),
        (HELPERS, helpers.find("inner").unwrap())
    );
}

#[test]
fn rendering_is_repeatable() {
    let set = set_with(&[(
        "t",
        "{{ range $k, $v := .Values }}{{ $k }}={{ $v }};{{ end }}{{ random }}",
    )]);
    let first = set.render("t", &data(), &Env::default()).unwrap();
    let second = set.render("t", &data(), &Env::default()).unwrap();
    assert_eq!(first, second);
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let depth = parse::MAX_NESTING;
    let text = format!("{{{{ {}1{} }}}}", "(".repeat(depth), ")".repeat(depth));
    assert_eq!(render(&text), "1");
    let text = format!(
        "{}x{}",
        "{{ if 1 }}".repeat(depth),
        "{{ end }}".repeat(depth)
    );
    assert_eq!(render(&text), "x");
    let text = format!(
        "{}x{}",
        "{{ if 1 }}".repeat(depth + 1),
        "{{ end }}".repeat(depth + 1)
    );
    let err = TemplateSet::new(Vec::new())
        .add("t", FILE, &text)
        .unwrap_err();
    assert_eq!(
        err.message,
        "template: t:1: template nesting deeper than 2000 levels"
    );
}

/// Speed: `cargo test --release --lib render_speed -- --ignored --nocapture`.
#[test]
#[ignore]
fn render_speed() {
    let helpers = "{{- define \"labels\" -}}\napp: {{ .Values.name }}\nrelease: {{ .Release.Name }}\n{{- end }}\n{{- define \"env\" -}}\n- name: {{ .name }}\n  value: {{ .value | quote }}\n{{- end }}";
    let mut deployment = String::from(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:{{ include \"labels\" . | nindent 4 }}\n",
    );
    for i in 0..50 {
        deployment.push_str(&format!(
            "  field{i}: {{{{ .Values.name }}}}-{{{{ printf \"%05d\" {i} }}}}\n"
        ));
    }
    deployment
        .push_str("  env:\n{{- range .Values.env }}{{ include \"env\" . | nindent 2 }}{{ end }}\n");
    for items in [1_000usize, 10_000] {
        let env: Vec<serde_json::Value> = (0..items)
            .map(|i| serde_json::json!({"name": format!("VAR_{i}"), "value": format!("value {i}")}))
            .collect();
        let values = serde_json::json!({"name": "app", "env": env});
        let mut root = Map::new();
        root.insert("Values".into(), from_json(&values));
        root.insert(
            "Release".into(),
            from_json(&serde_json::json!({"Name": "rel"})),
        );
        let data = Value::map(root);
        let started = std::time::Instant::now();
        let mut set = TemplateSet::new(test_functions());
        set.add("deployment.yaml", FILE, &deployment).unwrap();
        set.add("_helpers.tpl", HELPERS, helpers).unwrap();
        let parsed = started.elapsed();
        let runs = 20;
        let started = std::time::Instant::now();
        let mut bytes = 0;
        for _ in 0..runs {
            let out = set
                .render("deployment.yaml", &data, &Env::default())
                .unwrap();
            bytes = out.text.len();
            assert!(out.origin_at(bytes - 2).is_some());
        }
        let each = started.elapsed() / runs;
        println!(
            "{items} env items: parse {parsed:?}, render {each:?} for {bytes} bytes ({:.1} MB/s)",
            bytes as f64 / each.as_secs_f64() / 1e6
        );
    }
}

#[test]
fn matches_helm_output() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/helm-template");
    let values: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("values.json")).unwrap()).unwrap();
    let helm = std::fs::read_to_string(dir.join("helm-output.txt")).unwrap();
    let mut root = Map::new();
    root.insert("Values".into(), from_json(&values));
    root.insert(
        "Release".into(),
        from_json(&serde_json::json!({"Name": "rel"})),
    );
    let data = Value::map(root);
    let mut files: Vec<_> = std::fs::read_dir(dir.join("templates"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 24);
    let mut set = TemplateSet::new(Vec::new());
    let mut names = Vec::new();
    for path in &files {
        let name = format!(
            "c/templates/{}",
            path.file_name().unwrap().to_str().unwrap()
        );
        set.add(&name, FILE, &std::fs::read_to_string(path).unwrap())
            .unwrap();
        names.push(name);
    }
    for name in names {
        let marker = format!("# Source: {name}\n");
        let start = helm.find(&marker).unwrap() + marker.len();
        let end = helm[start..]
            .find("\n---\n")
            .map_or(helm.len(), |e| start + e);
        let rendered = set.render(&name, &data, &Env::default()).unwrap();
        assert_eq!(rendered.text.trim(), helm[start..end].trim(), "{name}");
    }
}

#[test]
fn parse_errors_read_like_helm() {
    // helm v3.17.3 on each text as `c/templates/t.yaml`; "" is no error.
    let cases = [
        ("{{ .a | }}", ""),
        (
            "{{ if .a }}{{ else }}{{ else if .b }}{{ end }}",
            "parse error at (c/templates/t.yaml:1): expected end; found {{else}}",
        ),
        (
            "{{ range $i, $v, $w := .a }}{{ end }}",
            "parse error at (c/templates/t.yaml:1): too many declarations in range",
        ),
        (
            "{{ $x := 1 }}{{ $x := }}",
            "parse error at (c/templates/t.yaml:1): missing value for command",
        ),
        (
            "{{ define \"x\" }}{{ end",
            "parse error at (c/templates/t.yaml:1): unclosed action",
        ),
        (
            "{{ .a.b.c.1 }}",
            "parse error at (c/templates/t.yaml:1): unexpected \".1\" in operand",
        ),
        (
            "{{ \"a\" | \"b\" }}",
            "parse error at (c/templates/t.yaml:1): non executable command in pipeline stage 2",
        ),
        (
            "{{ (1 }}",
            "parse error at (c/templates/t.yaml:1): unclosed left paren",
        ),
        (
            "{{ 1) }}",
            "parse error at (c/templates/t.yaml:1): unexpected right paren",
        ),
        (
            "{{ .a b }}",
            "parse error at (c/templates/t.yaml:1): function \"b\" not defined",
        ),
        (
            "{{ template }}",
            "parse error at (c/templates/t.yaml:1): unexpected \"}}\" in template clause",
        ),
        (
            "{{ template \"x\" | }}",
            "parse error at (c/templates/t.yaml:1): unexpected \"|\" in template clause",
        ),
        (
            "{{ with }}{{ end }}",
            "parse error at (c/templates/t.yaml:1): missing value for with",
        ),
        (
            "{{ range }}{{ end }}",
            "parse error at (c/templates/t.yaml:1): missing value for range",
        ),
        (
            "{{ else }}",
            "parse error at (c/templates/t.yaml:1): unexpected {{else}}",
        ),
        (
            "{{ if 1 }}{{ else }}{{ end }}{{ end }}",
            "parse error at (c/templates/t.yaml:1): unexpected {{end}}",
        ),
        (
            "{{ continue }}",
            "parse error at (c/templates/t.yaml:1): {{continue}} outside {{range}}",
        ),
        ("{{ 'ab' }}", "parse error at (c/templates/t.yaml:1): 'ab'"),
        (
            "{{ \"\\q\" }}",
            "parse error at (c/templates/t.yaml:1): invalid syntax",
        ),
        (
            "{{ 1.2.3 }}",
            "parse error at (c/templates/t.yaml:1): unexpected \".3\" in operand",
        ),
        (
            "{{ $ }}{{ $.a }}{{ $1 }}",
            "parse error at (c/templates/t.yaml:1): undefined variable \"$1\"",
        ),
        (
            "{{ a:b }}",
            "parse error at (c/templates/t.yaml:1): function \"a\" not defined",
        ),
        (
            "{{ .a := 1 }}",
            "parse error at (c/templates/t.yaml:1): unexpected \":=\" in operand",
        ),
        (
            "{{ range $x := .a }}{{ $y }}{{ end }}",
            "parse error at (c/templates/t.yaml:1): undefined variable \"$y\"",
        ),
        (
            "{{ define \"q\" }}{{ define \"z\" }}{{ end }}{{ end }}",
            "parse error at (c/templates/t.yaml:1): unexpected <define> in command",
        ),
        (
            "{{ block \"b\" }}{{ end }}",
            "parse error at (c/templates/t.yaml:1): missing value for block clause",
        ),
        (
            "{{ if 1 }}{{ range 1 }}{{ break 1 }}{{ end }}{{ end }}",
            "parse error at (c/templates/t.yaml:1): unexpected \"1\" in {{break}}",
        ),
        (
            "{{ end }}",
            "parse error at (c/templates/t.yaml:1): unexpected {{end}}",
        ),
    ];
    for (text, expected) in cases {
        let mut set = TemplateSet::new(Vec::new());
        let shown = match set.add("c/templates/t.yaml", FILE, text) {
            Ok(()) => String::new(),
            Err(e) => e.helm_message(),
        };
        assert_eq!(shown, expected, "{text}");
    }
}

#[test]
fn execution_errors_read_like_helm() {
    // helm v3.17.3 on each text as `c/templates/t.yaml`, with the same values.
    let cases = [
        (
            "{{ .Values.m.k.x }}",
            "template: c/templates/t.yaml:1:10: executing \"c/templates/t.yaml\" at <.Values.m.k.x>: can't evaluate field x in type interface {}",
        ),
        (
            "{{ index .Values.l 1 2 }}",
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <index .Values.l 1 2>: error calling index: can't index item of type float64",
        ),
        (
            "{{ .Values.l | len | printf \"%d\" | eq 2 }}",
            "template: c/templates/t.yaml:1:35: executing \"c/templates/t.yaml\" at <eq 2>: error calling eq: incompatible types for comparison",
        ),
        (
            "{{ $x := .Values.m }}{{ $x.k.z }}",
            "template: c/templates/t.yaml:1:26: executing \"c/templates/t.yaml\" at <$x.k.z>: can't evaluate field z in type interface {}",
        ),
        (
            "{{ with .Values.m }}{{ .k.z }}{{ end }}",
            "template: c/templates/t.yaml:1:25: executing \"c/templates/t.yaml\" at <.k.z>: can't evaluate field z in type interface {}",
        ),
        (
            "{{ not }}",
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <not>: wrong number of args for not: want 1 got 0",
        ),
        (
            "{{ eq }}",
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <eq>: wrong number of args for eq: want at least 1 got 0",
        ),
        (
            "{{ ne 1 }}",
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <ne>: wrong number of args for ne: want 2 got 1",
        ),
        (
            "{{ printf }}",
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <printf>: wrong number of args for printf: want at least 1 got 0",
        ),
        (
            "{{ include \"x\" }}",
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <include>: wrong number of args for include: want 2 got 1",
        ),
        (
            "{{ required \"a\" }}",
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <required>: wrong number of args for required: want 2 got 1",
        ),
        (
            "{{ fail 1 }}",
            "template: c/templates/t.yaml:1:8: executing \"c/templates/t.yaml\" at <1>: expected string; found 1",
        ),
        (
            "{{ tpl 1 . }}",
            "template: c/templates/t.yaml:1:7: executing \"c/templates/t.yaml\" at <1>: expected string; found 1",
        ),
        (
            "{{ lookup \"v1\" \"Pod\" \"\" }}",
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <lookup>: wrong number of args for lookup: want 4 got 3",
        ),
        (
            "{{ index .Values.m \"k\" \"x\" }}",
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <index .Values.m \"k\" \"x\">: error calling index: cannot index slice/array with type string",
        ),
        (
            "{{ len .Values.a }}",
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <len .Values.a>: error calling len: len of type float64",
        ),
        (
            "{{ eq .Values.a .Values.s }}",
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <eq .Values.a .Values.s>: error calling eq: incompatible types for comparison",
        ),
        (
            "{{ lt .Values.s .Values.m }}",
            "template: c/templates/t.yaml:1:3: executing \"c/templates/t.yaml\" at <lt .Values.s .Values.m>: error calling lt: invalid type for comparison",
        ),
        (
            "{{ gt .Values.a 0.5 }}{{ lt true false }}",
            "template: c/templates/t.yaml:1:25: executing \"c/templates/t.yaml\" at <lt true false>: error calling lt: invalid type for comparison",
        ),
        (
            "{{ .Values.l.x.y }}",
            "template: c/templates/t.yaml:1:10: executing \"c/templates/t.yaml\" at <.Values.l.x.y>: can't evaluate field x in type interface {}",
        ),
        (
            "{{ (.Values.m).k.x }}",
            "template: c/templates/t.yaml:1:11: executing \"c/templates/t.yaml\" at <.Values.m>: can't evaluate field x in type interface {}",
        ),
        (
            "{{ $.Values.m.k.x }}",
            "template: c/templates/t.yaml:1:4: executing \"c/templates/t.yaml\" at <$.Values.m.k.x>: can't evaluate field x in type interface {}",
        ),
        (
            "{{ required \"x\" .Values.nope | printf \"%s\" }}",
            "execution error at (c/templates/t.yaml:1:3): x",
        ),
        (
            "{{ .Values.s | required \"x\" | fail }}",
            "execution error at (c/templates/t.yaml:1:30): hello",
        ),
        (
            "{{ urlquery .Values.m }}{{ call }}",
            "template: c/templates/t.yaml:1:27: executing \"c/templates/t.yaml\" at <call>: wrong number of args for call: want at least 1 got 0",
        ),
    ];
    for (text, expected) in cases {
        let set = set_with(&[("c/templates/t.yaml", text)]);
        let err = set
            .render("c/templates/t.yaml", &data(), &Env::default())
            .unwrap_err();
        assert_eq!(err.helm_message(), expected, "{text}");
    }
}

#[test]
fn include_alignment_edge_cases() {
    let helpers = "{{ define \"a\" }}  é-{{ .Values.s }}\n{{ end }}{{ define \"b\" }}bee{{ end }}";
    let origin = |text: &str, needle: &str| {
        let out = render_all(&[("t", text), ("h", helpers)]).unwrap();
        let at = out.origin_at(out.text.find(needle).unwrap()).unwrap();
        (out.text.clone(), at.file, at.offset)
    };
    // `trim` removes whitespace: the rest still maps into the helper.
    let (text, file, offset) = origin("{{ include \"a\" . | trim }}", "é");
    assert_eq!(
        (text.as_str(), file, offset),
        ("é-hello", HELPERS, helpers.find('é').unwrap())
    );
    // Two includes in one action, joined by other text.
    let (text, file, offset) = origin(
        "{{ printf \"%s+%s\" (include \"b\" .) (include \"a\" .) }}",
        "-hello",
    );
    assert_eq!(text, "bee+  é-hello\n");
    assert_eq!((file, offset), (HELPERS, helpers.find("-{{").unwrap()));
    let (_, file, offset) = origin(
        "{{ printf \"%s+%s\" (include \"b\" .) (include \"a\" .) }}",
        "+",
    );
    assert_eq!((file, offset), (FILE, 0));
    // A transformed include is the action's.
    let (text, file, offset) = origin("x{{ include \"b\" . | upper }}", "BEE");
    assert_eq!((text.as_str(), file, offset), ("xBEE", FILE, 1));
}

#[test]
fn tpl_recursion_stops() {
    let message = error("{{ tpl .Values.loop . }}");
    assert!(
        message.ends_with("error calling tpl: exceeded maximum template depth (1500)"),
        "{}",
        &message[message.len() - 100..]
    );
    assert_eq!(message.matches("error calling tpl").count(), 1501);
}

#[test]
fn helm_order_decides_which_definition_wins() {
    // helm v3.17.3 prints `override from-helpers` for this chart.
    let files = [
        (
            "c/templates/t.yaml",
            "{{ block \"b\" . }}default{{ end }} {{ template \"z\" }}",
        ),
        (
            "c/templates/_helpers.tpl",
            "{{ define \"b\" }}override{{ end }}{{ define \"z\" }}from-helpers{{ end }}",
        ),
        ("c/templates/zz.tpl", "{{ define \"z\" }}from-zz{{ end }}"),
    ];
    let mut names: Vec<&str> = files.iter().map(|(name, _)| *name).collect();
    helm_parse_order(&mut names);
    let mut set = TemplateSet::new(Vec::new());
    for name in names {
        let text = files.iter().find(|(n, _)| *n == name).unwrap().1;
        set.add(name, FILE, text).unwrap();
    }
    let out = set
        .render("c/templates/t.yaml", &data(), &Env::default())
        .unwrap();
    assert_eq!(out.text, "override from-helpers");
}

/// With the real Sprig/Helm library.
fn render_with_library(text: &str) -> String {
    let mut set = TemplateSet::new(crate::render::helm::functions::all());
    set.add("t", FILE, text).unwrap();
    match set.render("t", &data(), &Env::default()) {
        Ok(out) => out.text,
        Err(e) => format!("ERROR {}", e.message),
    }
}

#[test]
fn set_and_merge_change_the_map_a_variable_holds() {
    // helm: a comma-joining helper that flips a flag with `set` (a pattern of
    // real charts) prints `a,b,c`.
    let join = concat!(
        r#"{{- $l := dict "first" true -}}"#,
        r#"{{- range $k, $v := list "a" "b" "c" -}}"#,
        r#"{{- if not $l.first -}},{{- end -}}{{- $v -}}"#,
        r#"{{- $_ := set $l "first" false -}}{{- end -}}"#,
    );
    assert_eq!(render_with_library(join), "a,b,c");
    // Maps are references in Go: `set` on `$d.a` changes what `$d` holds.
    let nested = r#"{{- $d := dict "a" (dict) -}}{{- $_ := set $d.a "k" "v" -}}{{ $d.a.k }}"#;
    assert_eq!(render_with_library(nested), "v");
    let merged = r#"{{- $d := dict "a" 1 -}}{{- $_ := merge $d (dict "b" 2) -}}{{ len $d }}"#;
    assert_eq!(render_with_library(merged), "2");
    let unset = r#"{{- $d := dict "a" 1 "b" 2 -}}{{- $_ := unset $d "a" -}}{{ keys $d }}"#;
    assert_eq!(render_with_library(unset), "[b]");
}

#[test]
fn tpl_of_empty_text_inside_tpl_renders_nothing() {
    // helm: a `tpl` whose text is empty, called from text `tpl` rendered,
    // prints nothing (it once re-ran the outer text until the depth limit).
    assert_eq!(
        render_with_library(r#"{{ tpl "x{{ tpl \"\" . }}y" . }}"#),
        "xy"
    );
}

#[test]
fn maps_are_shared_by_every_value_holding_them() {
    // Each expected text is what helm v3.17.3 printed for the template.
    let cases = [
        // Two variables holding `.Values.m` see one change.
        (
            r#"{{- $a := .Values.m }}{{ $b := .Values.m }}{{ $_ := set $a "x" 1 }}{{ $b.x }} {{ .Values.m.x }}"#,
            "1 1",
        ),
        // A list holds the map itself, not a copy.
        (
            r#"{{- $d := dict "a" 1 }}{{ $l := list $d }}{{ $_ := set $d "b" 2 }}{{ index $l 0 | toJson }}"#,
            r#"{"a":1,"b":2}"#,
        ),
        // `merge` stores the source's nested maps: they become shared.
        (
            r#"{{- $a := dict "x" (dict "y" 1) }}{{ $b := merge (dict) $a }}{{ $_ := set $b.x "z" 2 }}{{ toJson $a }}"#,
            r#"{"x":{"y":1,"z":2}}"#,
        ),
        (
            r#"{{- $a := dict "k" 1 }}{{ $_ := merge $a $a }}{{ toJson $a }}"#,
            r#"{"k":1}"#,
        ),
        // `pick` and `deepCopy` make new maps.
        (
            r#"{{- $x := pick .Values.m "k" }}{{ $_ := set $x "n" 1 }}{{ toJson .Values.m }}"#,
            r#"{"k":"v"}"#,
        ),
        (
            r#"{{- $x := .Values.m | deepCopy }}{{ $_ := set $x "n" 1 }}{{ toJson .Values.m }}"#,
            r#"{"k":"v"}"#,
        ),
        (
            r#"{{- $_ := set .Values "s" "changed" }}{{ .Values.s }}"#,
            "changed",
        ),
        // A range element that is a map is the map itself.
        (
            r#"{{- range .Values.nested.list }}{{ if . }}{{ $_ := set . "seen" true }}{{ end }}{{ end }}{{ toJson .Values.nested }}"#,
            r#"{"list":[{"name":"x","seen":true},null]}"#,
        ),
        (
            r#"{{- $x := .Values.missing }}{{ $_ := set $x "k" "v" }}"#,
            "ERROR template: t:1:37: executing \"t\" at <set $x \"k\" \"v\">: error calling set: assignment to entry in nil map",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(render_with_library(text), expected, "{text}");
    }
}

#[test]
fn an_included_template_changes_the_maps_it_is_given() {
    let mut set = TemplateSet::new(crate::render::helm::functions::all());
    set.add(
        "t",
        FILE,
        r#"{{- $ctx := dict "keep" 1 "drop" 2 }}{{ $_ := include "mutate" $ctx }}{{ include "values" $ }}{{ toJson $ctx }} {{ .Values.fromhelper }}"#,
    )
    .unwrap();
    set.add(
        "h",
        HELPERS,
        r#"{{- define "mutate" }}{{ $_ := set . "touched" "yes" }}{{ $_ := unset . "drop" }}{{ end }}{{ define "values" }}{{ $_ := set .Values "fromhelper" "yes" }}{{ end }}"#,
    )
    .unwrap();
    let out = set.render("t", &data(), &Env::default()).unwrap();
    // helm v3.17.3: `{"keep":1,"touched":"yes"} yes`.
    assert_eq!(out.text, r#"{"keep":1,"touched":"yes"} yes"#);
}

#[test]
fn a_map_cannot_be_made_to_contain_itself() {
    // Go accepts the cycle (and never finishes printing it); Vigie refuses
    // it so that no walk over a value runs forever.
    let out = render_with_library(r#"{{- $d := dict }}{{ $_ := set $d "l" (list $d) }}ok"#);
    assert!(out.contains("a map cannot contain itself"), "{out}");
}

#[test]
fn argument_errors_are_reported_as_go_checks_them() {
    // The expected texts are what helm v3.17.3 printed.
    let cases = [
        (
            "{{ upper }}",
            "template: t:1:3: executing \"t\" at <upper>: wrong number of args for upper: want 1 got 0",
        ),
        (
            "{{ upper \"a\" \"b\" }}",
            "template: t:1:3: executing \"t\" at <upper>: wrong number of args for upper: want 1 got 2",
        ),
        (
            "{{ upper 1 }}",
            "template: t:1:9: executing \"t\" at <1>: expected string; found 1",
        ),
        (
            "{{ trunc \"a\" \"b\" }}",
            "template: t:1:9: executing \"t\" at <\"a\">: expected integer; found \"a\"",
        ),
        (
            "{{ list 1 | join }}",
            "template: t:1:12: executing \"t\" at <join>: wrong number of args for join: want 2 got 1",
        ),
        (
            "{{ .Values.nested | upper }}",
            "template: t:1:20: executing \"t\" at <upper>: wrong type for value; expected string; got map[string]interface {}",
        ),
        (
            "{{ $x := 1 }}{{ upper $x }}",
            "template: t:1:22: executing \"t\" at <$x>: wrong type for value; expected string; got int",
        ),
        (
            "{{ hasKey 1 \"a\" }}",
            "template: t:1:10: executing \"t\" at <1>: can't handle 1 for arg of type map[string]interface {}",
        ),
        (
            "{{ trunc 1.5 \"abc\" }}",
            "template: t:1:9: executing \"t\" at <1.5>: expected integer; found 1.5",
        ),
        (
            "{{ div 1 0 }}",
            "template: t:1:3: executing \"t\" at <div 1 0>: error calling div: runtime error: integer divide by zero",
        ),
        // Nils: from a map field, through a variable or a pipe, literal.
        (
            "{{ upper .Values.missing }}",
            "template: t:1:16: executing \"t\" at <.Values.missing>: wrong type for value; expected string; got interface {}",
        ),
        (
            "{{ .Values.missing | upper }}",
            "template: t:1:21: executing \"t\" at <upper>: invalid value; expected string",
        ),
        (
            "{{ $x := .Values.missing }}{{ upper $x }}",
            "template: t:1:36: executing \"t\" at <$x>: invalid value; expected string",
        ),
        (
            "{{ set .Values.missing \"a\" 1 }}",
            "template: t:1:14: executing \"t\" at <.Values.missing>: wrong type for value; expected map[string]interface {}; got interface {}",
        ),
        (
            "{{ pluck \"a\" .Values.nested .Values.missing }}",
            "template: t:1:35: executing \"t\" at <.Values.missing>: wrong type for value; expected map[string]interface {}; got interface {}",
        ),
        (
            "{{ upper nil }}",
            "template: t:1:9: executing \"t\" at <nil>: cannot assign nil to string",
        ),
    ];
    let mut set = TemplateSet::new(crate::render::helm::functions::all());
    for (i, (text, expected)) in cases.into_iter().enumerate() {
        let name = format!("case{i}");
        set.add(&name, FILE, text).unwrap();
        let values = serde_json::json!({"nested": {"a": 1}});
        let mut root = Map::new();
        root.insert("Values".into(), from_json(&values));
        let error = set
            .render(&name, &Value::map(root), &Env::default())
            .unwrap_err();
        assert_eq!(error.message.replace(&name, "t"), expected, "{text}");
    }
}
