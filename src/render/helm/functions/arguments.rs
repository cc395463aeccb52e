//! How arguments reach a function: the checks Go's `text/template` makes
//! against a function's declared parameter types, and the `cast`-style
//! conversions Sprig applies to its `interface{}` parameters.

use super::super::value::{Map, MapRef, Value};

/// Go's message for a call with the wrong number of arguments.
pub fn count(name: &str, args: &[Value], want: usize) -> Result<(), String> {
    if args.len() == want {
        Ok(())
    } else {
        Err(format!(
            "wrong number of args for {name}: want {want} got {}",
            args.len()
        ))
    }
}

/// Go's message for a variadic call with too few arguments.
pub fn at_least(name: &str, args: &[Value], want: usize) -> Result<(), String> {
    if args.len() >= want {
        Ok(())
    } else {
        Err(format!(
            "wrong number of args for {name}: want at least {want} got {}",
            args.len()
        ))
    }
}

fn wrong_type(expected: &str, value: &Value) -> String {
    let got = match value {
        // A nil reaching a typed parameter arrived through an interface slot.
        Value::Nil => "interface {}".to_string(),
        other => other.type_name(),
    };
    format!("wrong type for value; expected {expected}; got {got}")
}

/// A Go `string` parameter: only strings are accepted.
pub fn string(value: &Value) -> Result<&str, String> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(wrong_type("string", other)),
    }
}

/// A Go `int` parameter: only integers are accepted (a float64 from values is
/// rejected, as Go does).
pub fn int(value: &Value) -> Result<i64, String> {
    match value {
        Value::Int(i) => Ok(*i),
        other => Err(wrong_type("int", other)),
    }
}

/// A Go `bool` parameter.
pub fn boolean(value: &Value) -> Result<bool, String> {
    match value {
        Value::Bool(b) => Ok(*b),
        other => Err(wrong_type("bool", other)),
    }
}

/// A Go `map[string]interface{}` parameter; nil arrives as a nil map,
/// which reads as empty.
pub fn map(value: &Value) -> Result<MapRef, String> {
    match value {
        Value::Map(m) => Ok(m.clone()),
        Value::Nil => Ok(MapRef::new(Map::new())),
        other => Err(wrong_type("map[string]interface {}", other)),
    }
}

/// Sprig's `strval`: strings as they are, bytes as text, anything else as
/// `%v` prints it (nil is `<nil>`).
pub fn to_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        other => other.to_string(),
    }
}

/// `cast.ToInt64`: numbers truncate, booleans are 0 or 1, strings parse as Go
/// integer literals (`0x10`, `010` octal, a trailing `.0` allowed), anything
/// else is 0.
pub fn to_int64(value: &Value) -> i64 {
    match value {
        Value::Int(i) => *i,
        Value::Float(f) => float_to_int(*f),
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => parse_go_int(trim_zero_decimal(s)).unwrap_or(0),
        _ => 0,
    }
}

/// Go's `int64(f)` for the values templates see (saturating instead of
/// undefined behaviour on overflow).
pub fn float_to_int(f: f64) -> i64 {
    if f.is_nan() { i64::MIN } else { f as i64 }
}

/// `cast.ToFloat64`: strings parse as Go floats, anything unparsable is 0.
pub fn to_float64(value: &Value) -> f64 {
    match value {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::String(s) => parse_go_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// `cast`'s `trimZeroDecimal`: `"1.000"` reads as `"1"`.
fn trim_zero_decimal(s: &str) -> &str {
    if let Some((whole, fraction)) = s.split_once('.')
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b == b'0')
    {
        return whole;
    }
    s
}

/// `strconv.ParseInt(s, 0, 64)`: sign, then `0x`, `0o`, `0b` or a leading `0`
/// (octal) prefix; underscores only between digits with a prefix.
pub fn parse_go_int(s: &str) -> Option<i64> {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest.to_string(), true)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest.to_string(), true)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest.to_string(), true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string(), true)
    } else {
        (10, lower.clone(), false)
    };
    let digits = if prefixed && digits.contains('_') {
        if digits.starts_with('_') && radix == 8 && !lower.starts_with("0o") {
            digits
        } else {
            if digits.ends_with('_') || digits.contains("__") {
                return None;
            }
            digits.replace('_', "")
        }
    } else {
        digits
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let magnitude = u64::from_str_radix(&digits, radix).ok()?;
    if negative {
        if magnitude <= i64::MAX as u64 + 1 {
            Some((magnitude as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// `strconv.ParseFloat(s, 64)` for decimal forms, `Inf` and `NaN`.
pub fn parse_go_float(s: &str) -> Option<f64> {
    let body = s.trim_start_matches(['+', '-']);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return s.parse::<f64>().ok();
    }
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'))
    {
        return None;
    }
    s.replace('_', "").parse::<f64>().ok()
}

/// Sprig's `strslice`: a list's items as strings, nils dropped; a string is a
/// list of itself; nil is empty.
pub fn to_strings(value: &Value) -> Vec<String> {
    match value {
        Value::List(items) => items
            .iter()
            .filter(|item| !matches!(item, Value::Nil))
            .map(to_string)
            .collect(),
        Value::Nil => Vec::new(),
        other => vec![to_string(other)],
    }
}

/// A list parameter Sprig reads through reflection: lists (and byte slices);
/// anything else is `None`.
pub fn list_items(value: &Value) -> Option<Vec<Value>> {
    match value {
        Value::List(items) => Some(items.as_ref().clone()),
        Value::Bytes(bytes) => Some(bytes.iter().map(|b| Value::Int(i64::from(*b))).collect()),
        _ => None,
    }
}

/// Go's `reflect.Kind` name of a value (`kindOf`).
pub fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Nil => "invalid",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::Bytes(_) | Value::List(_) => "slice",
        Value::Map(_) => "map",
        Value::Object(_) => "ptr",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_like_spf13_cast() {
        let cases = [
            ("010", 8),
            ("0x10", 16),
            ("1.0", 1),
            ("1.5", 0),
            ("1e3", 0),
            ("-12", -12),
            ("", 0),
            ("abc", 0),
        ];
        for (text, expected) in cases {
            assert_eq!(to_int64(&Value::string(text)), expected, "{text}");
        }
        assert_eq!(to_int64(&Value::Float(1.9)), 1);
        assert_eq!(to_int64(&Value::Bool(true)), 1);
        assert_eq!(to_int64(&Value::Nil), 0);
        assert_eq!(to_float64(&Value::string("x")), 0.0);
        assert_eq!(to_float64(&Value::string("2.5")), 2.5);
    }

    #[test]
    fn typed_parameters_reject_other_types() {
        assert_eq!(
            int(&Value::Float(1.0)).unwrap_err(),
            "wrong type for value; expected int; got float64"
        );
        assert_eq!(
            int(&Value::Nil).unwrap_err(),
            "wrong type for value; expected int; got interface {}"
        );
        assert_eq!(
            string(&Value::Float(1.0)).unwrap_err(),
            "wrong type for value; expected string; got float64"
        );
        assert_eq!(
            count("trunc", &[Value::Int(1)], 2).unwrap_err(),
            "wrong number of args for trunc: want 2 got 1"
        );
    }
}
