//! Go's `fmt` as templates use it: `print`, `println` and `printf` with its
//! verbs, flags, widths, precisions and error texts (`%!d(string=x)`).

use crate::render::helm::value::{Value, format_float_g};

use super::lex::push_escaped;

/// `fmt.Sprint`: operands joined, with a space between two operands when
/// neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    let mut previous_string = true;
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::String(_));
        if i > 0 && !is_string && !previous_string {
            out.push(' ');
        }
        out.push_str(&arg.to_string());
        previous_string = is_string;
    }
    out
}

/// `fmt.Sprintln`: operands joined by spaces, then a newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&arg.to_string());
    }
    out.push('\n');
    out
}

#[derive(Default, Clone, Copy)]
struct Flags {
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

/// `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let bytes = format.as_bytes();
    let mut arg_num = 0usize;
    let mut reordered = false;
    let mut good_arg_num = true;
    let mut i = 0;
    while i < bytes.len() {
        let literal_end = memchr::memchr(b'%', &bytes[i..]).map_or(bytes.len(), |x| i + x);
        out.push_str(&format[i..literal_end]);
        if literal_end >= bytes.len() {
            break;
        }
        i = literal_end + 1;
        let mut flags = Flags::default();
        while i < bytes.len() {
            match bytes[i] {
                b'#' => flags.sharp = true,
                b'0' => flags.zero = !flags.minus,
                b'+' => flags.plus = true,
                b'-' => {
                    flags.minus = true;
                    flags.zero = false;
                }
                b' ' => flags.space = true,
                _ => break,
            }
            i += 1;
        }
        // Width: a number, `*`, or `[n]*`.
        (arg_num, i, good_arg_num) =
            arg_index(bytes, i, arg_num, args.len(), &mut reordered, good_arg_num);
        if i < bytes.len() && bytes[i] == b'*' {
            i += 1;
            match args.get(arg_num).and_then(int_arg) {
                Some(w) => {
                    if w < 0 {
                        flags.minus = true;
                        flags.zero = false;
                    }
                    flags.width = Some(w.unsigned_abs() as usize);
                }
                None => out.push_str("%!(BADWIDTH)"),
            }
            arg_num += 1;
        } else {
            let (number, next) = parse_number(bytes, i);
            flags.width = number;
            i = next;
        }
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            (arg_num, i, good_arg_num) =
                arg_index(bytes, i, arg_num, args.len(), &mut reordered, good_arg_num);
            if i < bytes.len() && bytes[i] == b'*' {
                i += 1;
                match args.get(arg_num).and_then(int_arg) {
                    Some(p) if p >= 0 => flags.precision = Some(p as usize),
                    // A negative precision is no precision.
                    Some(_) => out.push_str("%!(BADPREC)"),
                    None => out.push_str("%!(BADPREC)"),
                }
                arg_num += 1;
            } else {
                let (number, next) = parse_number(bytes, i);
                flags.precision = Some(number.unwrap_or(0));
                i = next;
            }
        }
        (arg_num, i, good_arg_num) =
            arg_index(bytes, i, arg_num, args.len(), &mut reordered, good_arg_num);
        let Some(verb) = format[i..].chars().next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        i += verb.len_utf8();
        if verb == '%' {
            out.push('%');
            continue;
        }
        if !good_arg_num {
            out.push_str(&format!("%!{verb}(BADINDEX)"));
            continue;
        }
        let Some(arg) = args.get(arg_num) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        arg_num += 1;
        format_arg(&mut out, arg, verb, flags);
    }
    if !reordered && arg_num < args.len() {
        out.push_str("%!(EXTRA ");
        for (k, arg) in args[arg_num..].iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            match arg {
                Value::Nil => out.push_str("<nil>"),
                other => out.push_str(&format!("{}={other}", other.type_name())),
            }
        }
        out.push(')');
    }
    out
}

/// Parses an explicit argument index `[n]` at `i`.
fn arg_index(
    bytes: &[u8],
    i: usize,
    arg_num: usize,
    count: usize,
    reordered: &mut bool,
    good: bool,
) -> (usize, usize, bool) {
    if i >= bytes.len() || bytes[i] != b'[' {
        return (arg_num, i, good);
    }
    *reordered = true;
    let Some(close) = bytes[i..].iter().position(|&b| b == b']') else {
        return (arg_num, bytes.len(), false);
    };
    let text = std::str::from_utf8(&bytes[i + 1..i + close]).unwrap_or("");
    match text.parse::<usize>() {
        Ok(n) if n >= 1 && n <= count => (n - 1, i + close + 1, true),
        _ => (arg_num, i + close + 1, false),
    }
}

fn parse_number(bytes: &[u8], mut i: usize) -> (Option<usize>, usize) {
    let start = i;
    let mut n = 0usize;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        // Go gives up on numbers over a million: the verb goes missing.
        if n > LIMIT {
            return (None, bytes.len());
        }
        n = n * 10 + usize::from(bytes[i] - b'0');
        i += 1;
    }
    ((i > start).then_some(n), i)
}

/// Go's bound on widths and precisions.
const LIMIT: usize = 1_000_000;

fn int_arg(value: &Value) -> Option<i64> {
    match value {
        Value::Int(n) if n.unsigned_abs() <= LIMIT as u64 => Some(*n),
        _ => None,
    }
}

/// Go's `%!verb(type=value)`.
fn bad_verb(out: &mut String, arg: &Value, verb: char) {
    match arg {
        Value::Nil => out.push_str(&format!("%!{verb}(<nil>)")),
        other => out.push_str(&format!("%!{verb}({}={other})", other.type_name())),
    }
}

fn format_arg(out: &mut String, arg: &Value, verb: char, flags: Flags) {
    if verb == 'T' {
        pad(out, &arg.type_name(), flags, false);
        return;
    }
    match arg {
        Value::Nil => match verb {
            'v' => pad(out, "<nil>", flags, false),
            _ => bad_verb(out, arg, verb),
        },
        Value::Bool(b) => match verb {
            't' | 'v' => pad(out, if *b { "true" } else { "false" }, flags, false),
            _ => bad_verb(out, arg, verb),
        },
        Value::Int(n) => format_int(out, *n, verb, flags, arg),
        Value::Float(x) => format_float(out, *x, verb, flags, arg),
        Value::String(s) => format_string(out, s, verb, flags, arg),
        Value::Object(object) => match verb {
            'v' | 's' => pad(out, &object.display(), flags, false),
            'q' => pad(out, &quote(&object.display(), flags), flags, false),
            _ => bad_verb(out, arg, verb),
        },
        Value::Bytes(bytes) => match verb {
            's' => pad(out, &String::from_utf8_lossy(bytes), flags, false),
            'q' => pad(
                out,
                &quote(&String::from_utf8_lossy(bytes), flags),
                flags,
                false,
            ),
            'x' | 'X' => pad(out, &hex_bytes(bytes, verb, flags), flags, false),
            _ => {
                out.push('[');
                for (i, b) in bytes.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    format_int(out, i64::from(*b), verb, flags, &Value::Int(i64::from(*b)));
                }
                out.push(']');
            }
        },
        Value::List(items) => {
            if flags.sharp && verb == 'v' {
                out.push_str("[]interface {}{");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    format_arg(out, item, verb, flags);
                }
                out.push('}');
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                format_arg(out, item, verb, flags);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            if flags.sharp && verb == 'v' {
                out.push_str("map[string]interface {}{");
                for (i, (key, value)) in entries.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    format_arg(out, &Value::string(key.as_str()), verb, flags);
                    out.push(':');
                    format_arg(out, value, verb, flags);
                }
                out.push('}');
                return;
            }
            out.push_str("map[");
            for (i, (key, value)) in entries.borrow().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                format_arg(out, &Value::string(key.as_str()), verb, flags);
                out.push(':');
                format_arg(out, value, verb, flags);
            }
            out.push(']');
        }
    }
}

/// Writes `text` padded to the width; `numeric` puts zero padding after the
/// sign.
fn pad(out: &mut String, text: &str, flags: Flags, numeric: bool) {
    let width = flags.width.unwrap_or(0);
    let len = text.chars().count();
    if len >= width {
        out.push_str(text);
        return;
    }
    let fill = width - len;
    if flags.minus {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if flags.zero {
        let (sign, rest) = if numeric
            && (text.starts_with('-') || text.starts_with('+') || text.starts_with(' '))
        {
            text.split_at(1)
        } else {
            ("", text)
        };
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(rest);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(text);
    }
}

fn format_int(out: &mut String, n: i64, verb: char, flags: Flags, arg: &Value) {
    let magnitude = n.unsigned_abs();
    let digits = match verb {
        'd' | 'v' => magnitude.to_string(),
        'b' => format!("{magnitude:b}"),
        'o' | 'O' => format!("{magnitude:o}"),
        'x' => format!("{magnitude:x}"),
        'X' => format!("{magnitude:X}"),
        'c' => {
            let c = u32::try_from(n)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{fffd}');
            pad(out, &c.to_string(), flags, false);
            return;
        }
        'q' => {
            let c = u32::try_from(n)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{fffd}');
            let mut quoted = String::from("'");
            push_escaped(&mut quoted, c, '\'', flags.plus);
            quoted.push('\'');
            pad(out, &quoted, flags, false);
            return;
        }
        'U' => {
            let mut text = format!("U+{magnitude:04X}");
            if flags.sharp
                && let Some(c) = u32::try_from(n).ok().and_then(char::from_u32)
                && !c.is_control()
            {
                text.push_str(&format!(" '{c}'"));
            }
            pad(out, &text, flags, false);
            return;
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 's' | 't' | 'p' => {
            bad_verb(out, arg, verb);
            return;
        }
        _ => {
            bad_verb(out, arg, verb);
            return;
        }
    };
    let mut digits = digits;
    if let Some(precision) = flags.precision {
        if precision == 0 && n == 0 {
            digits.clear();
        }
        while digits.len() < precision {
            digits.insert(0, '0');
        }
    }
    let prefix = match verb {
        'b' if flags.sharp => "0b",
        'o' if flags.sharp => "0",
        'O' => "0o",
        'x' if flags.sharp => "0x",
        'X' if flags.sharp => "0X",
        _ => "",
    };
    let sign = if n < 0 {
        "-"
    } else if flags.plus {
        "+"
    } else if flags.space {
        " "
    } else {
        ""
    };
    let body = format!("{prefix}{digits}");
    // Zero padding goes between the sign and the digits, and not at all
    // with an explicit precision.
    let zero = flags.zero && flags.precision.is_none() && !flags.minus;
    let width = flags.width.unwrap_or(0);
    let len = sign.len() + body.len();
    if zero && len < width {
        out.push_str(sign);
        out.push_str(prefix);
        out.extend(std::iter::repeat_n('0', width - len));
        out.push_str(&digits);
    } else {
        let text = format!("{sign}{body}");
        pad(
            out,
            &text,
            Flags {
                zero: false,
                ..flags
            },
            true,
        );
    }
}

fn format_float(out: &mut String, x: f64, verb: char, flags: Flags, arg: &Value) {
    let text = match verb {
        'v' | 'g' | 'G' => {
            let text = match flags.precision {
                None => format_float_g(x),
                Some(precision) => format_g_precision(x, precision),
            };
            if verb == 'G' {
                text.to_uppercase()
            } else {
                text
            }
        }
        'e' | 'E' => {
            let text = if x.is_finite() {
                exponent_form(&format!("{:.*e}", flags.precision.unwrap_or(6), x))
            } else {
                format_float_g(x)
            };
            if verb == 'E' {
                text.to_uppercase()
            } else {
                text
            }
        }
        'f' | 'F' => {
            if x.is_finite() {
                format!("{:.*}", flags.precision.unwrap_or(6), x)
            } else {
                format_float_g(x)
            }
        }
        'x' | 'X' => {
            let text = hex_float(x, flags.precision);
            if verb == 'X' {
                text.to_uppercase()
            } else {
                text
            }
        }
        'b' => {
            let bits = x.to_bits();
            let exponent = ((bits >> 52) & 0x7ff) as i64;
            let mut mantissa = bits & ((1 << 52) - 1);
            let exponent = if exponent == 0 {
                -1074
            } else {
                mantissa |= 1 << 52;
                exponent - 1075
            };
            let sign = if x.is_sign_negative() { "-" } else { "" };
            format!("{sign}{mantissa}p{exponent:+}")
        }
        _ => {
            bad_verb(out, arg, verb);
            return;
        }
    };
    let text = if !text.starts_with('-') && x.is_finite() || text == "+Inf" || text == "NaN" {
        let bare = text.strip_prefix('+').unwrap_or(&text);
        if flags.plus {
            format!("+{bare}")
        } else if flags.space {
            format!(" {bare}")
        } else {
            bare.to_string()
        }
    } else {
        text
    };
    let numeric_flags = if x.is_finite() {
        flags
    } else {
        Flags {
            zero: false,
            ..flags
        }
    };
    pad(out, &text, numeric_flags, true);
}

/// Rust's `1.5e3` as Go writes it: `1.5e+03`.
fn exponent_form(rust: &str) -> String {
    let Some((mantissa, exponent)) = rust.split_once('e') else {
        return rust.to_string();
    };
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

/// `%.Ng`: N significant digits, trailing zeros removed, exponent form when
/// the exponent is below -4 or at least N.
fn format_g_precision(x: f64, precision: usize) -> String {
    if !x.is_finite() {
        return format_float_g(x);
    }
    let precision = precision.max(1);
    let scientific = format!("{:.*e}", precision - 1, x);
    let Some((mantissa, exponent)) = scientific.split_once('e') else {
        return scientific;
    };
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let mut eprec = precision as i32;
    if eprec > digits.len() as i32 && digits.len() as i32 > exponent {
        eprec = digits.len() as i32;
    }
    let sign = if negative { "-" } else { "" };
    if exponent < -4 || exponent >= eprec {
        let mut text = format!("{sign}{}", &digits[..1]);
        if digits.len() > 1 {
            text.push('.');
            text.push_str(&digits[1..]);
        }
        let esign = if exponent < 0 { '-' } else { '+' };
        return format!("{text}e{esign}{:02}", exponent.abs());
    }
    let decimals = (digits.len() as i32 - exponent - 1).max(0) as usize;
    format!("{:.*}", decimals, x)
}

/// Go's `%x` of a float: `0x1.8p+01`.
fn hex_float(x: f64, precision: Option<usize>) -> String {
    if !x.is_finite() {
        return format_float_g(x);
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0x0p+00");
    }
    let bits = x.abs().to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64;
    let mut mantissa = bits & ((1u64 << 52) - 1);
    if exponent == 0 {
        // Subnormal: normalize so the leading bit is implicit again.
        let shift = mantissa.leading_zeros() as i64 - 11;
        mantissa = (mantissa << shift) & ((1u64 << 52) - 1);
        exponent = 1 - shift;
    }
    let exponent = exponent - 1023;
    let mut fraction = format!("{mantissa:013x}");
    match precision {
        None => {
            let trimmed = fraction.trim_end_matches('0').len();
            fraction.truncate(trimmed);
        }
        Some(p) => {
            fraction.truncate(p.min(13));
            while fraction.len() < p {
                fraction.push('0');
            }
        }
    }
    let dot = if fraction.is_empty() { "" } else { "." };
    let esign = if exponent < 0 { '-' } else { '+' };
    format!("{sign}0x1{dot}{fraction}p{esign}{:02}", exponent.abs())
}

fn quote(text: &str, flags: Flags) -> String {
    if flags.sharp && !text.contains('`') && !text.chars().any(|c| c.is_control() && c != '\t') {
        return format!("`{text}`");
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        push_escaped(&mut out, c, '"', flags.plus);
    }
    out.push('"');
    out
}

fn hex_bytes(bytes: &[u8], verb: char, flags: Flags) -> String {
    let mut out = String::new();
    for (i, b) in bytes.iter().enumerate() {
        if flags.space && i > 0 {
            out.push(' ');
        }
        if flags.sharp && (flags.space || i == 0) {
            out.push_str(if verb == 'X' { "0X" } else { "0x" });
        }
        if verb == 'X' {
            out.push_str(&format!("{b:02X}"));
        } else {
            out.push_str(&format!("{b:02x}"));
        }
    }
    out
}

fn format_string(out: &mut String, s: &str, verb: char, flags: Flags, arg: &Value) {
    match verb {
        'v' if flags.sharp => pad(
            out,
            &quote(
                s,
                Flags {
                    sharp: false,
                    ..flags
                },
            ),
            flags,
            false,
        ),
        'v' | 's' => {
            let text: String = match flags.precision {
                Some(p) => s.chars().take(p).collect(),
                None => s.to_string(),
            };
            pad(out, &text, flags, false);
        }
        'q' => pad(out, &quote(s, flags), flags, false),
        'x' | 'X' => pad(out, &hex_bytes(s.as_bytes(), verb, flags), flags, false),
        _ => bad_verb(out, arg, verb),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::string(text)
    }

    #[test]
    fn verbs_match_go() {
        // Expected texts from helm v3.17.3's printf.
        let args = [
            Value::Float(3.14158),
            s("ab"),
            Value::Int(-42),
            Value::Int(255),
            s("hi"),
            Value::Int(8),
            Value::Int(5),
            Value::Float(1234.5678),
            Value::Float(0.000012345),
            s("a\"b"),
            Value::Int(65),
            Value::Bool(true),
        ];
        assert_eq!(
            sprintf("%5.2f|%-6s|%06d|%x|%X|%o|%b|%e|%g|%q|%c|%t", &args),
            " 3.14|ab    |-00042|ff|6869|10|101|1.234568e+03|1.2345e-05|\"a\\\"b\"|A|true"
        );
        assert_eq!(
            sprintf(
                "%+d|%#x|%#o|% d|%U",
                &[
                    Value::Int(5),
                    Value::Int(255),
                    Value::Int(8),
                    Value::Int(5),
                    Value::Int(65)
                ]
            ),
            "+5|0xff|010| 5|U+0041"
        );
        assert_eq!(
            sprintf(
                "%*d|%-*d|%.*f",
                &[
                    Value::Int(5),
                    Value::Int(1),
                    Value::Int(4),
                    Value::Int(2),
                    Value::Int(2),
                    Value::Float(3.14158)
                ]
            ),
            "    1|2   |3.14"
        );
        assert_eq!(
            sprintf("%[2]d %[1]d", &[Value::Int(1), Value::Int(2)]),
            "2 1"
        );
        assert_eq!(
            sprintf(
                "%q %#q %x % x",
                &[Value::Int(65), s("a`b"), s("hi"), s("hi")]
            ),
            "'A' \"a`b\" 6869 68 69"
        );
        assert_eq!(
            sprintf(
                "%.3s|%.2g|%8.3e|%G",
                &[
                    s("abcdef"),
                    Value::Float(123.456),
                    Value::Float(1234.5),
                    Value::Float(1e-7)
                ]
            ),
            "abc|1.2e+02|1.234e+03|1E-07"
        );
        assert_eq!(
            sprintf(
                "%5t|%-5d|%x",
                &[Value::Bool(true), Value::Int(3), Value::Int(-255)]
            ),
            " true|3    |-ff"
        );
        assert_eq!(sprintf("%x", &[Value::Float(3.5)]), "0x1.cp+01");
        assert_eq!(
            sprintf("%T %v", &[Value::Float(1.0), Value::Float(3.0)]),
            "float64 3"
        );
    }

    #[test]
    fn more_verbs_match_helm() {
        // Expected texts from helm v3.17.3's printf.
        let list = Value::list(vec![Value::Float(1.0), Value::Float(2.0)]);
        let mut map = crate::render::helm::value::Map::new();
        map.insert("k".into(), s("v"));
        let map = Value::map(map);
        let args = [
            s("ab"),
            Value::Int(3),
            Value::Float(12345.678),
            s("héllo"),
            Value::Int(-1),
            s("ab"),
            Value::Nil,
            list.clone(),
            Value::Float(-3.14158),
            s("é"),
            Value::Int(233),
            map.clone(),
        ];
        assert_eq!(
            sprintf("%05s|%-05d|%+.2e|%x|%X|% x|%#v|%#v|%08.3f|%+q|%c|%v", &args),
            "000ab|3    |+1.23e+04|68c3a96c6c6f|-1|61 62|<nil>|[]interface {}{1, 2}|-003.142|\"\\u00e9\"|é|map[k:v]"
        );
        let args = [
            Value::Float(3.14158),
            Value::Int(1),
            Value::Bool(true),
            Value::Float(1.5),
            Value::list(vec![]),
        ];
        assert_eq!(
            sprintf("%6.2v|%t|%s|%d|%v", &args),
            "   3.1|%!t(int=1)|%!s(bool=true)|%!d(float64=1.5)|[]"
        );
        let floats = [100000.0, 1000000.0, 0.0, 2.5, 0.05, 99.95].map(Value::Float);
        assert_eq!(
            sprintf("%g %g %e %.0f %.1f %5.1f%%", &floats),
            "100000 1e+06 0.000000e+00 2 0.1 100.0%"
        );
        assert_eq!(
            sprintf("%v %.3v %10.4v|", &[s("str"), s("string"), s("abcdefg")]),
            "str str       abcd|"
        );
        assert_eq!(
            sprintf("%d %x %o", &[list, map, Value::Int(8)]),
            "[%!d(float64=1) %!d(float64=2)] map[6b:76] 10"
        );
        let ints = [1, 2, 3].map(Value::Int);
        assert_eq!(sprintf("%[3]d %d %[1]d %d", &ints), "3 %!d(MISSING) 1 2");
        assert_eq!(sprintf("%[5]d", &[Value::Int(1)]), "%!d(BADINDEX)");
        assert_eq!(
            sprintf(
                "%.*d|%*s",
                &[Value::Int(-1), Value::Int(5), Value::Int(-4), s("a")]
            ),
            "%!(BADPREC)5|a   "
        );
        let ints = [3, 4, 5, 8, 8].map(Value::Int);
        assert_eq!(
            sprintf("%-+5d|% 05d|%#b|%#o|%O", &ints),
            "+3   | 0004|0b101|010|0o10"
        );
    }

    #[test]
    fn mismatches_are_spelled_like_go() {
        let list = Value::list(vec![Value::Float(1.0), Value::Float(2.0)]);
        assert_eq!(
            sprintf("%d %s %z %!", &[s("a"), Value::Int(1)]),
            "%!d(string=a) %!s(int=1) %!z(MISSING) %!!(MISSING)"
        );
        assert_eq!(
            sprintf("%d", &[Value::Int(1), Value::Int(2), s("x")]),
            "1%!(EXTRA int=2, string=x)"
        );
        assert_eq!(
            sprintf("%s %v %d", &[list.clone(), list.clone(), list]),
            "[%!s(float64=1) %!s(float64=2)] [1 2] [%!d(float64=1) %!d(float64=2)]"
        );
        assert_eq!(
            sprintf("%s|%v|%d", &[Value::Nil, Value::Nil, Value::Nil]),
            "%!s(<nil>)|<nil>|%!d(<nil>)"
        );
        assert_eq!(sprintf("%", &[]), "%!(NOVERB)");
        assert_eq!(
            sprintf("%99999999999d", &[Value::Int(1)]),
            "%!(NOVERB)%!(EXTRA int=1)"
        );
        assert_eq!(
            sprintf("%*d", &[Value::Int(10_000_000), Value::Int(1)]),
            "%!(BADWIDTH)1"
        );
        let mut map = crate::render::helm::value::Map::new();
        map.insert("k".into(), s("v"));
        assert_eq!(
            sprintf("%#v %#v %#v", &[Value::map(map), s("s"), Value::Int(3)]),
            "map[string]interface {}{\"k\":\"v\"} \"s\" 3"
        );
    }

    #[test]
    fn print_spacing() {
        let args = [
            Value::Int(1),
            Value::Int(2),
            s("a"),
            s("b"),
            Value::Int(3),
            Value::Nil,
        ];
        assert_eq!(sprint(&args), "1 2ab3 <nil>");
        assert_eq!(sprintln(&[Value::Int(1), s("a")]), "1 a\n");
    }
}
