//! JSON and YAML conversion: Sprig's `toJson` family and Helm's
//! `toYaml`, `fromYaml`, `fromJson` (whose errors go into an `Error` key).
//! Decoded numbers are `float64`, as Go's `encoding/json` makes them.

use super::super::value::{Map, Value, format_float_g};
use super::arguments::{self, count};
use super::yaml::{Flavor, to_yaml};
use super::{Env, Function, FunctionDef};
use crate::render::helm::chart::values::unsupported_number;
use crate::source::FileId;
use crate::source::yaml as source_yaml;

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[
    def("toJson", to_json),
    def("mustToJson", must_to_json),
    def("toPrettyJson", to_pretty_json),
    def("mustToPrettyJson", must_to_pretty_json),
    def("toRawJson", to_raw_json),
    def("mustToRawJson", must_to_raw_json),
    def("fromJson", from_json),
    def("mustFromJson", must_from_json),
    def("fromJsonArray", from_json_array),
    def("toYaml", to_yaml_helm),
    def("toYamlPretty", to_yaml_pretty),
    def("fromYaml", from_yaml),
    def("fromYamlArray", from_yaml_array),
];

const fn def(name: &'static str, function: Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

/// Go's `encoding/json` float text, or `None` for NaN and infinities
/// (which `json.Marshal` refuses).
pub fn go_json_float(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    let abs = x.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        // Go's 'e' format with the shortest digits, exponent without padding.
        let text = format!("{x:e}");
        let (mantissa, exponent) = text.split_once('e')?;
        let sign = if exponent.starts_with('-') { '-' } else { '+' };
        let digits = exponent.trim_start_matches('-');
        return Some(format!("{mantissa}e{sign}{digits}"));
    }
    let text = format_float_g(x);
    if text.contains('e') {
        // `%g` chose an exponent; JSON wants plain digits ('f' format).
        return Some(format!("{x}"));
    }
    Some(text)
}

/// How a value that is not a plain JSON kind is written (bytes as base64,
/// objects as their printed form).
pub fn plain_text(value: &Value) -> String {
    match value {
        Value::Bytes(bytes) => super::encoding::base64_encode(bytes),
        other => arguments::to_string(other),
    }
}

/// What `json.Marshal` makes of a Go object: a map or slice type as its
/// elements (`.Files.Glob`, `.Capabilities.APIVersions`), a time as RFC 3339
/// text, a Sprig certificate as its two fields, a version (or anything else)
/// as its printed form.
pub fn object_as_json(value: &Value) -> Value {
    let Value::Object(object) = value else {
        return Value::string(plain_text(value));
    };
    if let Some(collection) = object.collection() {
        return collection;
    }
    match object.type_name() {
        "time.Time" => object
            .method(
                "Format",
                &[Value::string("2006-01-02T15:04:05.999999999Z07:00")],
            )
            .and_then(Result::ok)
            .unwrap_or_else(|| Value::string(object.display())),
        "sprig.certificate" => {
            let mut map = Map::new();
            for field in ["Cert", "Key"] {
                map.insert(field.to_string(), object.field(field).unwrap_or_default());
            }
            Value::map(map)
        }
        _ => Value::string(object.display()),
    }
}

fn json_string(s: &str, escape_html: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if escape_html => out.push_str(&format!("\\u{:04x}", c as u32)),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Options of Go's JSON encoder.
struct JsonStyle {
    escape_html: bool,
    indent: bool,
}

fn write_json(
    value: &Value,
    style: &JsonStyle,
    depth: usize,
    out: &mut String,
) -> Result<(), String> {
    let newline = |out: &mut String, depth: usize| {
        if style.indent {
            out.push('\n');
            for _ in 0..depth {
                out.push_str("  ");
            }
        }
    };
    match value {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(x) => out.push_str(
            &go_json_float(*x)
                .ok_or_else(|| format!("json: unsupported value: {}", format_float_g(*x)))?,
        ),
        Value::String(s) => json_string(s, style.escape_html, out),
        Value::Bytes(_) => json_string(&plain_text(value), style.escape_html, out),
        Value::Object(_) => write_json(&object_as_json(value), style, depth, out)?,

        Value::List(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_json(item, style, depth + 1, out)?;
            }
            newline(out, depth);
            out.push(']');
        }
        Value::Map(entries) => {
            if entries.borrow().is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push('{');
            for (i, (key, item)) in entries.borrow().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                json_string(key, style.escape_html, out);
                out.push(':');
                if style.indent {
                    out.push(' ');
                }
                write_json(item, style, depth + 1, out)?;
            }
            newline(out, depth);
            out.push('}');
        }
    }
    Ok(())
}

/// `json.Marshal` (HTML-escaping) or `json.MarshalIndent(v, "", "  ")`.
pub fn encode_json(value: &Value, escape_html: bool, indent: bool) -> Result<String, String> {
    let mut out = String::new();
    write_json(
        value,
        &JsonStyle {
            escape_html,
            indent,
        },
        0,
        &mut out,
    )?;
    Ok(out)
}

fn json_function(
    name: &str,
    args: &[Value],
    escape_html: bool,
    indent: bool,
    must: bool,
) -> Result<Value, String> {
    count(name, args, 1)?;
    match encode_json(&args[0], escape_html, indent) {
        Ok(text) => Ok(Value::string(text)),
        Err(message) if must => Err(message),
        Err(_) => Ok(Value::string("")),
    }
}

fn to_json(_: &Env, args: &[Value]) -> Result<Value, String> {
    json_function("toJson", args, true, false, false)
}

fn must_to_json(_: &Env, args: &[Value]) -> Result<Value, String> {
    json_function("mustToJson", args, true, false, true)
}

fn to_pretty_json(_: &Env, args: &[Value]) -> Result<Value, String> {
    json_function("toPrettyJson", args, true, true, false)
}

fn must_to_pretty_json(_: &Env, args: &[Value]) -> Result<Value, String> {
    json_function("mustToPrettyJson", args, true, true, true)
}

fn to_raw_json(_: &Env, args: &[Value]) -> Result<Value, String> {
    json_function("toRawJson", args, false, false, false)
}

fn must_to_raw_json(_: &Env, args: &[Value]) -> Result<Value, String> {
    json_function("mustToRawJson", args, false, false, true)
}

fn from_serde(value: serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::string(s),
        serde_json::Value::Array(items) => Value::list(items.into_iter().map(from_serde).collect()),
        serde_json::Value::Object(entries) => Value::map(
            entries
                .into_iter()
                .map(|(k, v)| (k, from_serde(v)))
                .collect(),
        ),
    }
}

/// `json.Unmarshal` into `interface{}`; syntax errors read like Go's.
fn decode_json(text: &str) -> Result<Value, String> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => Ok(from_serde(value)),
        Err(error) if error.is_eof() => Err("unexpected end of JSON input".to_string()),
        Err(error) => {
            // Go names the offending character; serde gives its position.
            let offset = line_column_offset(text, error.line(), error.column());
            let found = text
                .get(..offset.min(text.len()))
                .unwrap_or_default()
                .chars()
                .next_back()
                .map(|c| c.to_string())
                .unwrap_or_default();
            Err(format!(
                "invalid character '{found}' looking for beginning of value"
            ))
        }
    }
}

fn line_column_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, row) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset + column.min(row.len());
        }
        offset += row.len();
    }
    text.len()
}

fn kind_word(value: &Value) -> &'static str {
    match value {
        Value::List(_) => "array",
        Value::Map(_) => "object",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    }
}

/// The Go error for decoding `value` into a map or a list.
fn into_map(value: Value) -> Result<Map, String> {
    match value {
        Value::Map(entries) => Ok(entries.entries()),
        Value::Nil => Ok(Map::new()),
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            kind_word(&other)
        )),
    }
}

fn into_list(value: Value) -> Result<Vec<Value>, String> {
    match value {
        Value::List(items) => Ok(items.as_ref().clone()),
        Value::Nil => Ok(Vec::new()),
        other => Err(format!(
            "json: cannot unmarshal {} into Go value of type []interface {{}}",
            kind_word(&other)
        )),
    }
}

fn error_map(message: String) -> Value {
    let mut map = Map::new();
    map.insert("Error".to_string(), Value::string(message));
    Value::map(map)
}

fn from_json(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("fromJson", args, 1)?;
    let text = arguments::string(&args[0])?;
    Ok(match decode_json(text).and_then(into_map) {
        Ok(map) => Value::map(map),
        Err(message) => error_map(message),
    })
}

fn must_from_json(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("mustFromJson", args, 1)?;
    decode_json(arguments::string(&args[0])?)
}

fn from_json_array(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("fromJsonArray", args, 1)?;
    let text = arguments::string(&args[0])?;
    Ok(match decode_json(text).and_then(into_list) {
        Ok(items) => Value::list(items),
        Err(message) => Value::list(vec![Value::string(message)]),
    })
}

fn to_yaml_helm(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("toYaml", args, 1)?;
    Ok(Value::string(
        to_yaml(&args[0], Flavor::Helm).unwrap_or_default(),
    ))
}

fn to_yaml_pretty(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("toYamlPretty", args, 1)?;
    Ok(Value::string(
        to_yaml(&args[0], Flavor::Pretty).unwrap_or_default(),
    ))
}

/// A YAML value after `sigs.k8s.io/yaml`'s conversion to JSON: every number
/// a float64.
fn from_source(value: &source_yaml::Value) -> Value {
    match value {
        source_yaml::Value::Null => Value::Nil,
        source_yaml::Value::Bool(b) => Value::Bool(*b),
        source_yaml::Value::Int(i) => Value::Float(*i as f64),
        source_yaml::Value::Float(x) => Value::Float(*x),
        source_yaml::Value::Str(s) => Value::string(s.as_str()),
        source_yaml::Value::Seq(items) => {
            Value::list(items.iter().map(|node| from_source(&node.value)).collect())
        }
        source_yaml::Value::Map(entries) => Value::map(
            entries
                .iter()
                .map(|entry| (entry.key.text.to_string(), from_source(&entry.value.value)))
                .collect(),
        ),
    }
}

/// The first document of a YAML text, or sigs.k8s.io/yaml's error text.
fn decode_yaml(text: &str) -> Result<Value, String> {
    let documents = source_yaml::load(FileId(0), "", text, source_yaml::Limits::default())
        .documents_or_error()
        .map_err(|diagnostic| {
            let line = diagnostic.position.map_or(1, |p| p.line);
            format!(
                "error converting YAML to JSON: yaml: line {line}: {}",
                diagnostic.message
            )
        })?;
    if let Some((_, message)) = documents
        .first()
        .and_then(|document| unsupported_number(&document.root))
    {
        return Err(message);
    }
    Ok(documents
        .first()
        .map_or(Value::Nil, |document| from_source(&document.root.value)))
}

fn decoding_error(message: String) -> String {
    if message.starts_with("json: ") {
        format!("error unmarshaling JSON: while decoding JSON: {message}")
    } else {
        message
    }
}

fn from_yaml(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("fromYaml", args, 1)?;
    let text = arguments::string(&args[0])?;
    Ok(match decode_yaml(text).and_then(into_map) {
        Ok(map) => Value::map(map),
        Err(message) => error_map(decoding_error(message)),
    })
}

fn from_yaml_array(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("fromYamlArray", args, 1)?;
    let text = arguments::string(&args[0])?;
    Ok(match decode_yaml(text).and_then(into_list) {
        Ok(items) => Value::list(items),
        Err(message) => Value::list(vec![Value::string(decoding_error(message))]),
    })
}
