//! Go's template builtins that are plain functions of their arguments
//! (`and`/`or` short-circuit, so the evaluator runs them).

use std::rc::Rc;

use crate::render::helm::value::Value;

use super::format::{sprint, sprintf, sprintln};

/// A builtin function of Go's text/template.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Builtin {
    And,
    Or,
    Not,
    Len,
    Index,
    Slice,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Print,
    Printf,
    Println,
    Html,
    Js,
    Urlquery,
    Call,
}

impl Builtin {
    pub(crate) const ALL: [(&'static str, Builtin); 19] = [
        ("and", Builtin::And),
        ("or", Builtin::Or),
        ("not", Builtin::Not),
        ("len", Builtin::Len),
        ("index", Builtin::Index),
        ("slice", Builtin::Slice),
        ("eq", Builtin::Eq),
        ("ne", Builtin::Ne),
        ("lt", Builtin::Lt),
        ("le", Builtin::Le),
        ("gt", Builtin::Gt),
        ("ge", Builtin::Ge),
        ("print", Builtin::Print),
        ("printf", Builtin::Printf),
        ("println", Builtin::Println),
        ("html", Builtin::Html),
        ("js", Builtin::Js),
        ("urlquery", Builtin::Urlquery),
        ("call", Builtin::Call),
    ];

    /// The number of arguments Go's signature takes: at least `.0`, at most
    /// `.1` (`None`: variadic).
    pub(crate) fn arity(self) -> (usize, Option<usize>) {
        match self {
            Builtin::And | Builtin::Or | Builtin::Index | Builtin::Slice | Builtin::Eq => (1, None),
            Builtin::Printf | Builtin::Call => (1, None),
            Builtin::Not | Builtin::Len => (1, Some(1)),
            Builtin::Ne | Builtin::Lt | Builtin::Le | Builtin::Gt | Builtin::Ge => (2, Some(2)),
            Builtin::Print | Builtin::Println | Builtin::Html | Builtin::Js | Builtin::Urlquery => {
                (0, None)
            }
        }
    }

    /// Calls the builtin; `callee` is how the first argument was written
    /// (for `call`'s errors). `and`/`or` are evaluated lazily by the caller.
    pub(crate) fn call(self, args: &[Value], callee: &str) -> Result<Value, String> {
        match self {
            Builtin::And => Ok(args
                .iter()
                .find(|v| !v.is_true())
                .or(args.last())
                .cloned()
                .unwrap_or_default()),
            Builtin::Or => Ok(args
                .iter()
                .find(|v| v.is_true())
                .or(args.last())
                .cloned()
                .unwrap_or_default()),
            Builtin::Not => Ok(Value::Bool(!args[0].is_true())),
            Builtin::Len => length(&args[0]).map(Value::Int),
            Builtin::Index => index(&args[0], &args[1..]),
            Builtin::Slice => slice(&args[0], &args[1..]),
            Builtin::Eq => eq(&args[0], &args[1..]).map(Value::Bool),
            Builtin::Ne => eq(&args[0], &args[1..2]).map(|b| Value::Bool(!b)),
            Builtin::Lt => lt(&args[0], &args[1]).map(Value::Bool),
            Builtin::Le => le(&args[0], &args[1]).map(Value::Bool),
            Builtin::Gt => le(&args[0], &args[1]).map(|b| Value::Bool(!b)),
            Builtin::Ge => lt(&args[0], &args[1]).map(|b| Value::Bool(!b)),
            Builtin::Print => Ok(Value::string(sprint(args))),
            Builtin::Printf => {
                let format = args[0].as_str().unwrap_or_default();
                Ok(Value::string(sprintf(format, &args[1..])))
            }
            Builtin::Println => Ok(Value::string(sprintln(args))),
            Builtin::Html => Ok(Value::string(html_escape(&joined(args)))),
            Builtin::Js => Ok(Value::string(js_escape(&joined(args)))),
            Builtin::Urlquery => Ok(Value::string(query_escape(&joined(args)))),
            Builtin::Call => match &args[0] {
                Value::Nil => Err("call of nil".to_string()),
                // Templates get no function values from Helm.
                other => Err(format!(
                    "non-function {callee} of type {}",
                    other.type_name()
                )),
            },
        }
    }
}

/// Go's `evalArgs`: a single string as is, anything else as `fmt.Sprint`.
fn joined(args: &[Value]) -> String {
    match args {
        [Value::String(s)] => s.to_string(),
        _ => sprint(args),
    }
}

fn length(item: &Value) -> Result<i64, String> {
    if let Some(collection) = item.object_collection() {
        return length(&collection);
    }
    match item {
        Value::Nil => Err("len of nil pointer".to_string()),
        Value::String(s) => Ok(s.len() as i64),
        Value::Bytes(b) => Ok(b.len() as i64),
        Value::List(items) => Ok(items.len() as i64),
        Value::Map(entries) => Ok(entries.borrow().len() as i64),
        other => Err(format!("len of type {}", other.type_name())),
    }
}

/// An integer index of a list or string (`indexArg`).
fn index_arg(index: &Value, cap: usize) -> Result<usize, String> {
    let x = match index {
        Value::Int(n) => *n,
        Value::Nil => return Err("cannot index slice/array with nil".to_string()),
        other => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            ));
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn index(item: &Value, indexes: &[Value]) -> Result<Value, String> {
    if matches!(item, Value::Nil) {
        return Err("index of untyped nil".to_string());
    }
    let mut item = item.clone();
    for index in indexes {
        if let Some(collection) = item.object_collection() {
            item = collection;
        }
        item = match &item {
            Value::Nil => return Err("index of nil pointer".to_string()),
            Value::List(items) => {
                let x = index_arg(index, items.len())?;
                items.get(x).cloned().ok_or_else(slice_range_panic)?
            }
            Value::String(s) => {
                let x = index_arg(index, s.len())?;
                Value::Int(i64::from(
                    *s.as_bytes().get(x).ok_or_else(string_range_panic)?,
                ))
            }
            Value::Bytes(b) => {
                let x = index_arg(index, b.len())?;
                Value::Int(i64::from(*b.get(x).ok_or_else(slice_range_panic)?))
            }
            Value::Map(entries) => match index {
                Value::String(key) => entries.borrow().get(&**key).cloned().unwrap_or_default(),
                Value::Nil => return Err("value is nil; should be of type string".to_string()),
                other => {
                    return Err(format!(
                        "value has type {}; should be string",
                        other.type_name()
                    ));
                }
            },
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

/// What Go's reflect panics with when an index equals the length.
fn slice_range_panic() -> String {
    "reflect: slice index out of range".to_string()
}

fn string_range_panic() -> String {
    "reflect: string index out of range".to_string()
}

fn slice(item: &Value, indexes: &[Value]) -> Result<Value, String> {
    if matches!(item, Value::Nil) {
        return Err("slice of untyped nil".to_string());
    }
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match item {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".to_string());
            }
            s.len()
        }
        Value::List(items) => items.len(),
        Value::Bytes(b) => b.len(),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    let mut idx = [0, len, len];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    let range = idx[0]..idx[1];
    Ok(match item {
        Value::String(s) => Value::string(String::from_utf8_lossy(&s.as_bytes()[range])),
        Value::List(items) => Value::list(items[range].to_vec()),
        Value::Bytes(b) => Value::Bytes(Rc::from(&b[range])),
        _ => Value::Nil,
    })
}

#[derive(PartialEq, Clone, Copy)]
enum BasicKind {
    Bool,
    Int,
    Float,
    String,
}

fn basic_kind(value: &Value) -> Option<BasicKind> {
    match value {
        Value::Bool(_) => Some(BasicKind::Bool),
        Value::Int(_) => Some(BasicKind::Int),
        Value::Float(_) => Some(BasicKind::Float),
        Value::String(_) => Some(BasicKind::String),
        _ => None,
    }
}

/// Go's `eq`: true when `arg1` equals any of `others`.
pub(crate) fn eq(arg1: &Value, others: &[Value]) -> Result<bool, String> {
    if others.is_empty() {
        return Err("missing argument for comparison".to_string());
    }
    let k1 = basic_kind(arg1);
    for arg in others {
        let k2 = basic_kind(arg);
        let truth = if k1 != k2 {
            if !matches!(arg1, Value::Nil) && !matches!(arg, Value::Nil) {
                return Err("incompatible types for comparison".to_string());
            }
            false
        } else if k1.is_some() {
            arg1 == arg
        } else {
            compare_composite(arg1, arg)?
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `==` between values that are not basic kinds: nil equals only nil; maps,
/// lists and byte slices are not comparable; objects are pointers.
fn compare_composite(a: &Value, b: &Value) -> Result<bool, String> {
    let same_type = std::mem::discriminant(a) == std::mem::discriminant(b);
    let nil = |v: &Value| matches!(v, Value::Nil);
    if !nil(a) && !nil(b) && !same_type {
        return Err(format!(
            "non-comparable types {}: {}, {}: {}",
            percent_s(a),
            a.type_name(),
            b.type_name(),
            b
        ));
    }
    if nil(a) || nil(b) {
        return Ok(nil(a) == nil(b));
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => Ok(Rc::ptr_eq(x, y)),
        _ => Err(format!(
            "non-comparable type {}: {}",
            percent_s(b),
            b.type_name()
        )),
    }
}

/// How Go's `%s` shows a value inside an error message.
fn percent_s(value: &Value) -> String {
    sprintf("%s", std::slice::from_ref(value))
}

fn lt(a: &Value, b: &Value) -> Result<bool, String> {
    let invalid = || "invalid type for comparison".to_string();
    let k1 = basic_kind(a).ok_or_else(invalid)?;
    let k2 = basic_kind(b).ok_or_else(invalid)?;
    if k1 != k2 {
        return Err("incompatible types for comparison".to_string());
    }
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(x < y),
        (Value::Float(x), Value::Float(y)) => Ok(x < y),
        (Value::String(x), Value::String(y)) => Ok(x < y),
        _ => Err(invalid()),
    }
}

fn le(a: &Value, b: &Value) -> Result<bool, String> {
    if lt(a, b)? {
        return Ok(true);
    }
    eq(a, std::slice::from_ref(b))
}

/// Go's `template.HTMLEscapeString`.
pub(crate) fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub(crate) fn js_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if !c.is_ascii() && c.is_control() => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub(crate) fn query_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::string(text)
    }

    fn list() -> Value {
        Value::list(vec![Value::Float(1.0), Value::Float(2.0)])
    }

    fn map() -> Value {
        let mut m = crate::render::helm::value::Map::new();
        m.insert("k".into(), s("v"));
        Value::map(m)
    }

    #[test]
    fn comparisons_follow_go() {
        assert_eq!(
            eq(&Value::Float(1.0), &[Value::Int(1)]),
            Err("incompatible types for comparison".into())
        );
        assert_eq!(
            eq(&Value::Int(1), &[Value::Int(2), Value::Int(1)]),
            Ok(true)
        );
        assert_eq!(eq(&Value::Nil, &[Value::Nil]), Ok(true));
        assert_eq!(eq(&s("a"), &[Value::Nil]), Ok(false));
        assert_eq!(eq(&map(), &[Value::Nil]), Ok(false));
        assert_eq!(
            eq(&map(), &[map()]),
            Err("non-comparable type map[k:v]: map[string]interface {}".into())
        );
        assert_eq!(
            eq(&list(), &[map()]),
            Err("non-comparable types [%!s(float64=1) %!s(float64=2)]: []interface {}, map[string]interface {}: map[k:v]".into())
        );
        assert_eq!(
            eq(&Value::Int(1), &[]),
            Err("missing argument for comparison".into())
        );
        assert_eq!(
            lt(&Value::Int(1), &s("a")),
            Err("incompatible types for comparison".into())
        );
        assert_eq!(
            lt(&map(), &Value::Int(1)),
            Err("invalid type for comparison".into())
        );
        assert_eq!(
            lt(&Value::Bool(true), &Value::Bool(false)),
            Err("invalid type for comparison".into())
        );
        assert_eq!(le(&s("a"), &s("a")), Ok(true));
        let call = |b: Builtin, args: &[Value]| b.call(args, "x").map(|v| v.to_string());
        assert_eq!(
            call(Builtin::Gt, &[Value::Float(2.5), Value::Float(1.5)]),
            Ok("true".into())
        );
        assert_eq!(
            call(Builtin::Ge, &[Value::Int(1), Value::Int(2)]),
            Ok("false".into())
        );
        assert_eq!(call(Builtin::Ne, &[s("a"), s("b")]), Ok("true".into()));
    }

    #[test]
    fn index_len_and_slice_errors() {
        let call = |b: Builtin, args: &[Value]| b.call(args, "x").map(|v| v.to_string());
        assert_eq!(
            call(Builtin::Index, &[list(), Value::Int(5)]),
            Err("index out of range: 5".into())
        );
        assert_eq!(
            call(Builtin::Index, &[list(), Value::Int(-1)]),
            Err("index out of range: -1".into())
        );
        assert_eq!(
            call(Builtin::Index, &[list(), Value::Int(2)]),
            Err("reflect: slice index out of range".into())
        );
        assert_eq!(
            call(Builtin::Index, &[list(), Value::Float(1.5)]),
            Err("cannot index slice/array with type float64".into())
        );
        assert_eq!(
            call(Builtin::Index, &[list(), Value::Nil]),
            Err("cannot index slice/array with nil".into())
        );
        assert_eq!(
            call(Builtin::Index, &[Value::Nil, Value::Int(1)]),
            Err("index of untyped nil".into())
        );
        assert_eq!(
            call(Builtin::Index, &[Value::Int(3), Value::Int(1)]),
            Err("can't index item of type int".into())
        );
        assert_eq!(
            call(Builtin::Index, &[map(), Value::Int(1)]),
            Err("value has type int; should be string".into())
        );
        assert_eq!(
            call(Builtin::Index, &[map(), Value::Nil]),
            Err("value is nil; should be of type string".into())
        );
        assert_eq!(
            call(Builtin::Index, &[map(), s("z"), s("y")]),
            Err("index of nil pointer".into())
        );
        assert_eq!(call(Builtin::Index, &[map(), s("k")]), Ok("v".into()));
        assert_eq!(
            call(Builtin::Index, &[s("abc"), Value::Int(1)]),
            Ok("98".into())
        );
        assert_eq!(call(Builtin::Len, &[s("héllo")]), Ok("6".into()));
        assert_eq!(
            call(Builtin::Len, &[Value::Nil]),
            Err("len of nil pointer".into())
        );
        assert_eq!(
            call(Builtin::Len, &[Value::Int(3)]),
            Err("len of type int".into())
        );
        assert_eq!(
            call(Builtin::Slice, &[s("abcd"), Value::Int(1), Value::Int(3)]),
            Ok("bc".into())
        );
        assert_eq!(
            call(Builtin::Slice, &[list(), Value::Int(1)]),
            Ok("[2]".into())
        );
        assert_eq!(
            call(Builtin::Slice, &[s("abc"), Value::Int(2), Value::Int(1)]),
            Err("invalid slice index: 2 > 1".into())
        );
        assert_eq!(
            call(
                Builtin::Slice,
                &[s("abc"), Value::Int(0), Value::Int(1), Value::Int(2)]
            ),
            Err("cannot 3-index slice a string".into())
        );
        assert_eq!(
            call(Builtin::Call, &[s("f")]),
            Err("non-function x of type string".into())
        );
        assert_eq!(
            call(Builtin::Call, &[Value::Nil]),
            Err("call of nil".into())
        );
    }

    #[test]
    fn escapers_match_go() {
        // Expected texts from helm v3.17.3.
        assert_eq!(html_escape("<a&\"'>"), "&lt;a&amp;&#34;&#39;&gt;");
        assert_eq!(
            js_escape("a\\b'\"<>&=\n"),
            "a\\\\b\\'\\\"\\u003C\\u003E\\u0026\\u003D\\u000A"
        );
        assert_eq!(query_escape("a b&c/é"), "a+b%26c%2F%C3%A9");
        assert_eq!(joined(&[Value::Int(1), Value::Int(2)]), "1 2");
    }
}
