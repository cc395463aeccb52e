//! `toToml` as Helm writes it with BurntSushi/toml's encoder: plain keys
//! first, then tables and arrays of tables, each group in key order; nested
//! tables indented two spaces per level; nil values left out. `fromToml`
//! reads with the `toml` crate: integers stay integers (`int64`), errors go
//! into an `Error` key as in Helm (with the `toml` crate's wording), and
//! dates and times are kept as their text.

use super::super::value::{Map, Value};
use super::arguments::{self, count};
use super::{Env, Function, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[def("toToml", to_toml), def("fromToml", from_toml)];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

fn bare_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key_text(key: &str) -> String {
    if bare_key(key) {
        key.to_string()
    } else {
        quoted(key)
    }
}

/// Whether a value is written as a table (`[a]`) or array of tables (`[[a]]`).
fn is_table(value: &Value) -> bool {
    match value {
        Value::Map(_) => true,
        Value::List(items) => !items.is_empty() && items.iter().all(|i| matches!(i, Value::Map(_))),
        _ => false,
    }
}

fn float_text(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let text = format!("{x}");
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

/// An inline value: scalars and arrays.
fn inline(value: &Value) -> String {
    match value {
        Value::Nil => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(x) => float_text(*x),
        Value::List(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter(|i| !matches!(i, Value::Nil))
                .map(inline)
                .collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Map(entries) => {
            let parts: Vec<String> = entries
                .borrow()
                .iter()
                .filter(|(_, v)| !matches!(v, Value::Nil))
                .map(|(k, v)| format!("{} = {}", key_text(k), inline(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        other => quoted(&super::arguments::to_string(other)),
    }
}

struct Encoder {
    out: String,
}

impl Encoder {
    /// BurntSushi's `newline`: only once something was written.
    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn table(&mut self, path: &[String], entries: &Map) {
        // A key is indented one level per table above it.
        let nested_indent = "  ".repeat(path.len());
        let (tables, plain): (Vec<_>, Vec<_>) = entries
            .iter()
            .filter(|(_, v)| !matches!(v, Value::Nil))
            .partition(|(_, v)| is_table(v));
        for (key, value) in plain {
            self.out.push_str(&format!(
                "{nested_indent}{} = {}\n",
                key_text(key),
                inline(value)
            ));
        }
        for (key, value) in tables {
            let mut child = path.to_vec();
            child.push(key.clone());
            let header: Vec<String> = child.iter().map(|k| key_text(k)).collect();
            let header = header.join(".");
            let child_indent = "  ".repeat(child.len() - 1);
            match value {
                Value::Map(inner) => {
                    if child.len() == 1 {
                        self.newline();
                    }
                    self.out.push_str(&format!("{child_indent}[{header}]\n"));
                    self.table(&child, &inner.borrow());
                }
                Value::List(items) => {
                    for item in items.iter() {
                        if let Value::Map(inner) = item {
                            self.newline();
                            self.out.push_str(&format!("{child_indent}[[{header}]]\n"));
                            self.table(&child, &inner.borrow());
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn to_toml(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("toToml", args, 1)?;
    let Value::Map(entries) = &args[0] else {
        return Ok(Value::string(inline(&args[0])));
    };
    let mut encoder = Encoder { out: String::new() };
    encoder.table(&[], &entries.borrow());
    Ok(Value::string(encoder.out))
}

fn from_toml_value(value: ::toml::Value) -> Value {
    match value {
        ::toml::Value::String(s) => Value::string(s),
        ::toml::Value::Integer(i) => Value::Int(i),
        ::toml::Value::Float(x) => Value::Float(x),
        ::toml::Value::Boolean(b) => Value::Bool(b),
        ::toml::Value::Datetime(d) => Value::string(d.to_string()),
        ::toml::Value::Array(items) => {
            Value::list(items.into_iter().map(from_toml_value).collect())
        }
        ::toml::Value::Table(table) => Value::map(
            table
                .into_iter()
                .map(|(k, v)| (k, from_toml_value(v)))
                .collect(),
        ),
    }
}

fn from_toml(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("fromToml", args, 1)?;
    let text = arguments::string(&args[0])?;
    let map = match text.parse::<::toml::Table>() {
        Ok(table) => table
            .into_iter()
            .map(|(k, v)| (k, from_toml_value(v)))
            .collect(),
        Err(error) => {
            let message = error.message().to_string();
            let line = error.span().map_or(0, |span| {
                text.as_bytes()[..span.start.min(text.len())]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
            });
            let mut map = Map::new();
            map.insert(
                "Error".to_string(),
                Value::string(format!("toml: line {line}: {message}")),
            );
            map
        }
    };
    Ok(Value::map(map))
}
