//! The values Go templates compute with, as Helm's templates see them.
//!
//! Helm decodes values files through JSON, so every number from values is a
//! `float64` (`Float`) — which is why `{{ 1000000 }}` from values prints
//! `1e+06` — while numbers written in templates and returned by functions
//! such as `len` or `int` are Go `int`s (`Int`). Maps iterate in key order, as
//! Go's `range` and `fmt` do.
//!
//! Go maps are references: `set`, `unset` and `merge` change a map in place
//! and every value holding it sees the change, so [`MapRef`] is shared and
//! mutable. Lists (Go slices) are never changed in place by a template
//! function, so they stay immutable. Maps never contain themselves:
//! [`Value::contains_map`] lets the mutating functions refuse a cycle, so
//! every walk over a value ends.

use std::cell::{Ref, RefCell, RefMut};
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// The entries of a map of a template's world (`map[string]interface{}`).
pub type Map = BTreeMap<String, Value>;

/// A Go map: shared by every value holding it, so a change made through one
/// holder is seen by all.
#[derive(Clone, Default)]
pub struct MapRef(Rc<RefCell<Map>>);

impl MapRef {
    /// A new map, not shared with any other.
    pub fn new(entries: Map) -> Self {
        MapRef(Rc::new(RefCell::new(entries)))
    }

    /// Reads the entries. Borrows end before any function that could change
    /// a map runs, so this never conflicts with [`MapRef::borrow_mut`].
    pub fn borrow(&self) -> Ref<'_, Map> {
        self.0.borrow()
    }

    /// Changes the entries in place (`set`, `unset`, `merge`).
    pub fn borrow_mut(&self) -> RefMut<'_, Map> {
        self.0.borrow_mut()
    }

    /// Whether both are the same Go map.
    pub fn same(&self, other: &MapRef) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// Changes the entries of this holder only: a map other holders share is
    /// copied first. For code that builds values before a template sees them
    /// (values coalescing), where sharing is an implementation detail.
    pub fn make_mut(&mut self) -> RefMut<'_, Map> {
        if Rc::strong_count(&self.0) > 1 {
            *self = MapRef::new(self.entries());
        }
        self.0.borrow_mut()
    }

    /// The entries, copied only when another holder shares them.
    pub fn into_entries(self) -> Map {
        Rc::try_unwrap(self.0).map_or_else(|shared| shared.borrow().clone(), RefCell::into_inner)
    }

    /// A copy of the entries (the nested maps stay shared).
    pub fn entries(&self) -> Map {
        self.0.borrow().clone()
    }
}

/// A Go value.
#[derive(Clone, Default)]
pub enum Value {
    /// Go's untyped `nil` (a missing key, `nil`, a function's nil result).
    #[default]
    Nil,
    Bool(bool),
    /// Go `int` (and the other integer types).
    Int(i64),
    /// Go `float64`.
    Float(f64),
    String(Rc<str>),
    /// `[]byte` (`.Files.GetBytes`), printed as a list of numbers by `%v`.
    Bytes(Rc<[u8]>),
    /// `[]interface{}`.
    List(Rc<Vec<Value>>),
    /// `map[string]interface{}`, shared (see [`MapRef`]).
    Map(MapRef),
    /// A Go struct or typed value with fields and methods (`.Release`,
    /// `.Chart`, `.Capabilities`, `.Files`, a semver version).
    Object(Rc<dyn GoObject>),
}

/// A Go struct (or named type) a template can read fields of and call
/// methods on: `.Release.Name`, `.Files.Get "x"`, `.Capabilities.APIVersions.Has "v1"`.
pub trait GoObject {
    /// Go's type name, for `typeOf` and error messages (`*chart.Metadata`).
    fn type_name(&self) -> &str;
    /// A field or a method without arguments (`.Chart.Name`, `.Release.IsInstall`).
    fn field(&self, name: &str) -> Option<Value>;
    /// Calls a method with arguments; `None` when there is no such method.
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>>;
    /// What `{{ . }}` and `%v` print.
    fn display(&self) -> String;
    /// Its elements as a [`Value::Map`] or [`Value::List`] when the Go type
    /// is a map or a slice (`.Files` and `.Files.Glob`'s `engine.files`,
    /// `.Capabilities.APIVersions`), which Go's `if`, `len`, `range` and
    /// `index` then treat as such.
    fn collection(&self) -> Option<Value> {
        None
    }
}

impl Value {
    pub fn string(text: impl Into<Rc<str>>) -> Value {
        Value::String(text.into())
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(items))
    }

    pub fn map(entries: Map) -> Value {
        Value::Map(MapRef::new(entries))
    }

    /// Whether `map` is this value or is reachable from it through maps and
    /// lists: storing this value into `map` would make a cycle.
    pub fn contains_map(&self, map: &MapRef) -> bool {
        match self {
            Value::Map(inner) => {
                inner.same(map) || inner.borrow().values().any(|v| v.contains_map(map))
            }
            Value::List(items) => items.iter().any(|v| v.contains_map(map)),
            _ => false,
        }
    }

    /// Sprig's `deepCopy`: the same value with every map and list copied, so
    /// changing the copy leaves the original alone.
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::Map(map) => Value::map(
                map.borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.deep_copy()))
                    .collect(),
            ),
            Value::List(items) => Value::list(items.iter().map(Value::deep_copy).collect()),
            other => other.clone(),
        }
    }

    /// Go's truth (`if`, `and`, `or`, `not`, `default`): false, 0, nil, and
    /// empty strings, lists and maps are false.
    pub fn is_true(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(items) => !items.is_empty(),
            Value::Map(entries) => !entries.borrow().is_empty(),
            Value::Object(object) => object.collection().is_none_or(|c| c.is_true()),
        }
    }

    /// The map or list a Go object of map or slice type holds (see
    /// [`GoObject::collection`]); `None` for other values.
    pub fn object_collection(&self) -> Option<Value> {
        match self {
            Value::Object(object) => object.collection(),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Go's type name (`typeOf`): `string`, `float64`, `int`, `bool`,
    /// `[]interface {}`, `map[string]interface {}`, `<nil>`.
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".to_string(),
            Value::Bool(_) => "bool".to_string(),
            Value::Int(_) => "int".to_string(),
            Value::Float(_) => "float64".to_string(),
            Value::String(_) => "string".to_string(),
            Value::Bytes(_) => "[]uint8".to_string(),
            Value::List(_) => "[]interface {}".to_string(),
            Value::Map(_) => "map[string]interface {}".to_string(),
            Value::Object(object) => object.type_name().to_string(),
        }
    }
}

impl fmt::Display for Value {
    /// Go's `%v` (what `{{ . }}` prints).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // A template printing nil writes `<no value>`; Helm removes it.
            Value::Nil => f.write_str("<nil>"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => f.write_str(&format_float_g(*x)),
            Value::String(s) => f.write_str(s),
            Value::Bytes(bytes) => {
                f.write_str("[")?;
                for (i, b) in bytes.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{b}")?;
                }
                f.write_str("]")
            }
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Map(entries) => {
                f.write_str("map[")?;
                for (i, (key, value)) in entries.borrow().iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{key}:{value}")?;
                }
                f.write_str("]")
            }
            Value::Object(object) => f.write_str(&object.display()),
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => write!(f, "{s:?}"),
            Value::Object(object) => write!(f, "{}({})", object.type_name(), object.display()),
            other => write!(f, "{other}"),
        }
    }
}

impl PartialEq for Value {
    /// Go's `==` for the basic kinds (`eq`); lists and maps compare deeply
    /// (as `reflect.DeepEqual`, which sprig's helpers use); objects never.
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a.same(b) || *a.borrow() == *b.borrow(),
            _ => false,
        }
    }
}

/// Go's `strconv.FormatFloat(x, 'g', -1, 64)` as `%v` uses it: the shortest
/// digits, in exponent form when the exponent is below -4 or at least 6
/// (`1e+06` for a million, `123456`, `0.0001`, `1e-05`).
pub fn format_float_g(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: `1.5e6`.
    let scientific = format!("{x:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits = mantissa.trim_start_matches('-').replace('.', "");
    // Go's 'g' with the shortest precision decides with a precision of 6.
    if !(-4..6).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        let magnitude = exponent.abs();
        return format!("{mantissa}e{sign}{magnitude:02}");
    }
    // Plain decimal notation with exactly the shortest digits.
    let negative = x < 0.0;
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if exponent < 0 {
        out.push_str("0.");
        for _ in 0..(-exponent - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let point = exponent as usize + 1;
        if digits.len() <= point {
            out.push_str(&digits);
            for _ in digits.len()..point {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_go() {
        let cases = [
            (3.0, "3"),
            (1000000.0, "1e+06"),
            (123456789.0, "1.23456789e+08"),
            (0.5, "0.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-2.5, "-2.5"),
            (100.0, "100"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (1e21, "1e+21"),
            (12345.678, "12345.678"),
        ];
        for (x, expected) in cases {
            assert_eq!(format_float_g(x), expected, "{x}");
        }
    }
}
