//! Helm's `--set` syntax (`strvals`): `a.b=1,list[0]=x,tags={a,b}`, with `\`
//! escaping the next character. Keys nest with `.`, lists grow with `[i]`;
//! `--set` types its values (`true`, `false`, `null`, base-10 integers as
//! `int64`), `--set-string` keeps text, `--set-json` decodes JSON and
//! `--set-file` reads the named file; `--set-literal` takes the rest of the
//! text as one string.

use std::rc::Rc;

use crate::render::helm::value::{Map, Value};

/// Helm refuses list indexes above this (`strvals.MaxIndex`).
const MAX_INDEX: i64 = 65536;
/// Helm refuses keys nested deeper than this (`strvals.MaxNestedNameLevel`).
const MAX_NESTED_NAME_LEVEL: usize = 30;

/// How the values of a `--set`-style argument are read.
pub enum SetStyle<'a> {
    /// `--set`: `true`/`false`/`null` (any case), `0` and integers not
    /// starting with `0` are typed; anything else is a string.
    Typed,
    /// `--set-string`: every value is a string.
    Text,
    /// `--set-json`: every value is a JSON document (numbers become floats).
    Json,
    /// `--set-file`: every value names a file whose content is the value.
    File(&'a dyn Fn(&str) -> Result<Value, String>),
    /// `--set-literal`: one key, no escapes, and everything after the first
    /// `=` is the string value (commas and braces included).
    Literal,
}

/// Why parsing stopped: the end of the text (not an error) or a message.
enum Stop {
    End,
    Error(String),
}

type Step<T> = Result<T, Stop>;

fn error<T>(message: String) -> Step<T> {
    Err(Stop::Error(message))
}

/// Parses one argument of `--set` (or its siblings) into `dest`, which holds
/// the values of earlier arguments: later keys overwrite.
pub fn parse_into(text: &str, style: &SetStyle<'_>, dest: &mut Map) -> Result<(), String> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        pos: 0,
        text,
        style,
    };
    loop {
        match parser.key(dest, 0) {
            Ok(()) => {}
            Err(Stop::End) => return Ok(()),
            Err(Stop::Error(message)) => return Err(message),
        }
    }
}

struct Parser<'a, 's> {
    chars: Vec<char>,
    pos: usize,
    text: &'a str,
    style: &'a SetStyle<'s>,
}

/// Go's `%q` for the keys in messages.
fn quoted(chars: &str) -> String {
    format!("{chars:?}")
}

fn go_type(value: &Value) -> &'static str {
    match value {
        Value::Nil => "nil",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int64",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::Bytes(_) => "[]uint8",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
        Value::Object(_) => "object",
    }
}

/// Helm's message when a key's existing value has the wrong kind (it
/// recovers from the failed Go type assertion).
fn conversion_error(found: &Value, wanted: &str) -> String {
    format!(
        "unable to parse key: interface conversion: interface {{}} is {}, not {wanted}",
        go_type(found)
    )
}

fn set(data: &mut Map, key: &str, value: Value) {
    if !key.is_empty() {
        data.insert(key.to_string(), value);
    }
}

fn set_index(list: &mut Vec<Value>, index: i64, value: Value) -> Step<()> {
    if index < 0 {
        return error(format!("negative {index} index not allowed"));
    }
    if index > MAX_INDEX {
        return error(format!(
            "index of {index} is greater than maximum supported index of {MAX_INDEX}"
        ));
    }
    let index = index as usize;
    if list.len() <= index {
        list.resize(index + 1, Value::Nil);
    }
    list[index] = value;
    Ok(())
}

impl Parser<'_, '_> {
    fn next_char(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// Reads up to (and consumes) one of `stop`, unescaping `\x`. `None` as
    /// the stop character means the text ended first.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut out = String::new();
        loop {
            match self.next_char() {
                None => return (out, None),
                Some(c) if stop.contains(&c) => return (out, Some(c)),
                Some('\\') if !matches!(self.style, SetStyle::Literal) => match self.next_char() {
                    None => return (out, None),
                    Some(next) => out.push(next),
                },
                Some(c) => out.push(c),
            }
        }
    }

    fn key(&mut self, data: &mut Map, level: usize) -> Step<()> {
        let stop: &[char] = if matches!(self.style, SetStyle::Literal) {
            &['=', '[', '.']
        } else {
            &['=', '[', ',', '.']
        };
        let (key, last) = self.until(stop);
        match last {
            None if key.is_empty() => Err(Stop::End),
            None => error(format!("key {} has no value", quoted(&key))),
            Some('[') => {
                let index = self.index()?;
                let mut list = match data.get(&key) {
                    None => Vec::new(),
                    Some(Value::List(items)) => items.as_ref().clone(),
                    Some(other) => return error(conversion_error(other, "[]interface {}")),
                };
                let result = self.list_item(&mut list, index, level);
                set(data, &key, Value::list(list));
                result
            }
            Some('=') => {
                let value = match self.value()? {
                    Some(value) => value,
                    None => {
                        set(data, &key, Value::string(""));
                        return Err(Stop::End);
                    }
                };
                set(data, &key, value);
                Ok(())
            }
            Some(',') => {
                set(data, &key, Value::string(""));
                error(format!(
                    "key {} has no value (cannot end with ,)",
                    quoted(&key)
                ))
            }
            Some(_) => {
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return error(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    ));
                }
                let mut inner = match data.get(&key) {
                    None => Map::new(),
                    Some(Value::Map(entries)) => entries.entries(),
                    Some(other) => {
                        return error(conversion_error(other, "map[string]interface {}"));
                    }
                };
                let result = self.key(&mut inner, level);
                if result.is_ok() && inner.is_empty() {
                    return error(format!("key map {} has no value", quoted(&key)));
                }
                if !inner.is_empty() {
                    set(data, &key, Value::map(inner));
                }
                result
            }
        }
    }

    /// The value after `=`: `None` when the text ends right there (Helm then
    /// sets an empty string and stops).
    fn value(&mut self) -> Step<Option<Value>> {
        if let SetStyle::Json = self.style {
            return self.json_value().map(Some);
        }
        if let SetStyle::Literal = self.style {
            let rest: String = self.chars[self.pos..].iter().collect();
            self.pos = self.chars.len();
            return Ok(Some(Value::string(rest)));
        }
        match self.chars.get(self.pos) {
            None => Ok(None),
            Some('{') => {
                self.pos += 1;
                self.list_value().map(|items| Some(Value::list(items)))
            }
            Some(_) => {
                let (text, _) = self.until(&[',']);
                self.scalar(&text).map(Some)
            }
        }
    }

    fn scalar(&self, text: &str) -> Step<Value> {
        match self.style {
            SetStyle::Typed => Ok(typed_value(text)),
            SetStyle::Text => Ok(Value::string(text)),
            SetStyle::File(read) => read(text).map_err(Stop::Error),
            SetStyle::Json | SetStyle::Literal => Ok(Value::string(text)),
        }
    }

    /// `{a,b,c}` (the `{` consumed); a `,` right after `}` is consumed too.
    fn list_value(&mut self) -> Step<Vec<Value>> {
        let mut items = Vec::new();
        loop {
            let (text, last) = self.until(&[',', '}']);
            match last {
                None => return error("list must terminate with '}'".to_string()),
                Some('}') => {
                    if self.chars.get(self.pos) == Some(&',') {
                        self.pos += 1;
                    }
                    items.push(self.scalar(&text)?);
                    return Ok(items);
                }
                Some(_) => items.push(self.scalar(&text)?),
            }
        }
    }

    /// Skips blanks and one `,`; true when no value follows.
    fn empty_value(&mut self) -> bool {
        while let Some(&c) = self.chars.get(self.pos) {
            if c == ',' {
                self.pos += 1;
                return true;
            }
            if !c.is_whitespace() {
                return false;
            }
            self.pos += 1;
        }
        true
    }

    fn json_value(&mut self) -> Step<Value> {
        if self.empty_value() {
            return Ok(Value::Nil);
        }
        let byte_start: usize = self.chars[..self.pos].iter().map(|c| c.len_utf8()).sum();
        let rest = &self.text[byte_start..];
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>();
        let decoded = match stream.next() {
            Some(Ok(value)) => value,
            Some(Err(e)) => return error(e.to_string()),
            None => return error("unexpected EOF".to_string()),
        };
        let consumed = rest[..stream.byte_offset()].chars().count();
        self.pos += consumed;
        self.empty_value();
        Ok(from_json(&decoded))
    }

    fn index(&mut self) -> Step<i64> {
        let (text, last) = self.until(&[']']);
        if last.is_none() {
            return Err(Stop::End);
        }
        text.parse::<i64>().or_else(|_| {
            error(format!(
                "error parsing index: strconv.Atoi: parsing {}: invalid syntax",
                quoted(&text)
            ))
        })
    }

    fn list_item(&mut self, list: &mut Vec<Value>, index: i64, level: usize) -> Step<()> {
        if index < 0 {
            return error(format!("negative {index} index not allowed"));
        }
        let (rest, last) = self.until(&['[', '.', '=']);
        if !rest.is_empty() {
            return error(format!(
                "unexpected data at end of array index: {}",
                quoted(&rest)
            ));
        }
        match last {
            None => Err(Stop::End),
            Some('=') => {
                let value = self.value()?.unwrap_or_else(|| Value::string(""));
                set_index(list, index, value)
            }
            Some('[') => {
                let next = self.index()?;
                let mut inner = match list.get(index as usize) {
                    None | Some(Value::Nil) => Vec::new(),
                    Some(Value::List(items)) => items.as_ref().clone(),
                    Some(other) => return error(conversion_error(other, "[]interface {}")),
                };
                self.list_item(&mut inner, next, level)?;
                set_index(list, index, Value::list(inner))
            }
            Some(_) => {
                let mut inner = match list.get(index as usize) {
                    Some(Value::Map(entries)) => entries.entries(),
                    _ => Map::new(),
                };
                self.key(&mut inner, level)?;
                set_index(list, index, Value::map(inner))
            }
        }
    }
}

/// `--set`'s typing of a value (`strvals.typedVal`).
fn typed_value(text: &str) -> Value {
    if text.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if text.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if text.eq_ignore_ascii_case("null") {
        return Value::Nil;
    }
    if text == "0" {
        return Value::Int(0);
    }
    if !text.is_empty()
        && !text.starts_with('0')
        && let Ok(number) = text.parse::<i64>()
    {
        return Value::Int(number);
    }
    Value::string(text)
}

/// A JSON document as Go's `encoding/json` decodes it into `interface{}`.
pub fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::String(Rc::from(s.as_str())),
        serde_json::Value::Array(items) => Value::list(items.iter().map(from_json).collect()),
        serde_json::Value::Object(entries) => Value::map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, style: SetStyle<'_>) -> Result<Value, String> {
        let mut map = Map::new();
        parse_into(text, &style, &mut map).map(|()| Value::map(map))
    }

    fn json(value: &Value) -> String {
        match value {
            Value::Map(m) => {
                let parts: Vec<String> = m
                    .borrow()
                    .iter()
                    .map(|(k, v)| format!("{k}:{}", json(v)))
                    .collect();
                format!("{{{}}}", parts.join(","))
            }
            Value::List(items) => {
                let parts: Vec<String> = items.iter().map(json).collect();
                format!("[{}]", parts.join(","))
            }
            Value::String(s) => format!("{s:?}"),
            Value::Int(i) => format!("{i}i"),
            Value::Float(f) => format!("{f}f"),
            other => other.to_string(),
        }
    }

    fn typed(text: &str) -> String {
        match parse(text, SetStyle::Typed) {
            Ok(v) => json(&v),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn types_values_like_helm_set() {
        assert_eq!(
            typed("a=1,b=true,c=FALSE,d=null,e=0,f=007,g=1.5,h=-3,i=+4"),
            r#"{a:1i,b:true,c:false,d:<nil>,e:0i,f:"007",g:"1.5",h:-3i,i:4i}"#
        );
        assert_eq!(
            typed("big=99999999999999999999"),
            r#"{big:"99999999999999999999"}"#
        );
    }

    #[test]
    fn nests_keys_and_lists() {
        assert_eq!(typed("a.b.c=x,a.d=y"), r#"{a:{b:{c:"x"},d:"y"}}"#);
        assert_eq!(typed("l[1]=x"), r#"{l:[<nil>,"x"]}"#);
        assert_eq!(typed("l[0].n=a,l[0].m=b"), r#"{l:[{m:"b",n:"a"}]}"#);
        assert_eq!(typed("l[0][1]=z"), r#"{l:[[<nil>,"z"]]}"#);
        assert_eq!(typed("t={a,1,true},u=v"), r#"{t:["a",1i,true],u:"v"}"#);
        assert_eq!(typed("a="), r#"{a:""}"#);
    }

    #[test]
    fn escapes_separators() {
        assert_eq!(typed(r"a\.b=c\,d"), r#"{a.b:"c,d"}"#);
        assert_eq!(typed(r"k=x\=y"), r#"{k:"x=y"}"#);
        assert_eq!(
            typed(r"annotations.kubernetes\.io/role=web"),
            r#"{annotations:{kubernetes.io/role:"web"}}"#
        );
    }

    #[test]
    fn reports_helm_errors() {
        assert_eq!(typed("a"), r#"error: key "a" has no value"#);
        assert_eq!(
            typed("a,b=1"),
            r#"error: key "a" has no value (cannot end with ,)"#
        );
        assert_eq!(typed("a.=1"), r#"error: key map "a" has no value"#);
        assert_eq!(
            typed("l[x]=1"),
            r#"error: error parsing index: strconv.Atoi: parsing "x": invalid syntax"#
        );
        assert_eq!(typed("l[-1]=1"), "error: negative -1 index not allowed");
        assert_eq!(
            typed("l[70000]=1"),
            "error: index of 70000 is greater than maximum supported index of 65536"
        );
        assert_eq!(
            typed("l[0]x=1"),
            r#"error: unexpected data at end of array index: "x""#
        );
        assert_eq!(typed("t={a,b"), "error: list must terminate with '}'");
        assert_eq!(
            typed(&format!("{}=1", vec!["k"; 32].join("."))),
            "error: value name nested level is greater than maximum supported nested level of 30"
        );
    }

    #[test]
    fn later_keys_overwrite_earlier_ones_and_wrong_kinds_fail() {
        let mut map = Map::new();
        parse_into("a.b=1", &SetStyle::Typed, &mut map).unwrap();
        parse_into("a.c=2,a.b=3", &SetStyle::Typed, &mut map).unwrap();
        assert_eq!(json(&Value::map(map.clone())), "{a:{b:3i,c:2i}}");
        let err = parse_into("a.b.c=1", &SetStyle::Typed, &mut map).unwrap_err();
        assert_eq!(
            err,
            "unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}"
        );
    }

    #[test]
    fn set_string_and_json_and_file() {
        assert_eq!(
            json(&parse("a=1,b=true", SetStyle::Text).unwrap()),
            r#"{a:"1",b:"true"}"#
        );
        assert_eq!(
            json(&parse(r#"a={"x":[1,"y"]}, b=, c=2,d= 3 ,e=4"#, SetStyle::Json).unwrap()),
            // Helm keeps the blank after a JSON value's comma in the next key.
            r#"{ b:<nil>, c:2f,a:{x:[1f,"y"]},d:3f,e:4f}"#
        );
        assert!(parse("a={bad", SetStyle::Json).is_err());
        let read = |path: &str| Ok(Value::string(format!("content of {path}")));
        assert_eq!(
            json(&parse("cfg=x.txt", SetStyle::File(&read)).unwrap()),
            r#"{cfg:"content of x.txt"}"#
        );
    }

    /// What `helm template --set-literal` 3.17.3 put in `.Values`.
    #[test]
    fn set_literal_keeps_the_whole_value() {
        let literal = |text: &str| match parse(text, SetStyle::Literal) {
            Ok(v) => json(&v),
            Err(e) => format!("error: {e}"),
        };
        assert_eq!(literal("name=a,b={c}"), r#"{name:"a,b={c}"}"#);
        assert_eq!(literal(r"a\b.c=x=y"), r#"{a\b:{c:"x=y"}}"#);
        assert_eq!(literal("l[1].k=v"), r#"{l:[<nil>,{k:"v"}]}"#);
        assert_eq!(literal("a,b=1"), r#"{a,b:"1"}"#);
        assert_eq!(literal("e="), r#"{e:""}"#);
        assert_eq!(literal("a"), r#"error: key "a" has no value"#);
        assert_eq!(
            literal("a.b[x]=1"),
            r#"error: error parsing index: strconv.Atoi: parsing "x": invalid syntax"#
        );
    }
}
