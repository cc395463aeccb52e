//! Sprig's string functions: trimming, case, slicing, quoting, splitting and
//! joining, sequences.

use std::rc::Rc;

use super::super::value::{Map, Value};
use super::arguments::{self, count};
use super::{Env, FunctionDef};

/// The functions of this family.
pub const FUNCTIONS: &[FunctionDef] = &[
    def("hello", hello),
    def("abbrev", abbrev),
    def("abbrevboth", abbrevboth),
    def("trunc", trunc),
    def("trim", trim),
    def("upper", upper),
    def("lower", lower),
    def("title", title),
    def("untitle", untitle),
    def("substr", substr),
    def("repeat", repeat),
    def("trimall", trim_all),
    def("trimAll", trim_all),
    def("trimSuffix", trim_suffix),
    def("trimPrefix", trim_prefix),
    def("nospace", nospace),
    def("initials", initials),
    def("swapcase", swapcase),
    def("snakecase", snakecase),
    def("camelcase", camelcase),
    def("kebabcase", kebabcase),
    def("wrap", wrap),
    def("wrapWith", wrap_with),
    def("contains", contains),
    def("hasPrefix", has_prefix),
    def("hasSuffix", has_suffix),
    def("quote", quote),
    def("squote", squote),
    def("cat", cat),
    def("indent", indent),
    def("nindent", nindent),
    def("replace", replace),
    def("plural", plural),
    def("toString", to_string),
    def("toStrings", to_strings),
    def("split", split),
    def("splitList", split_list),
    def("splitn", splitn),
    def("join", join),
    def("sortAlpha", sort_alpha),
    def("seq", seq),
    def("until", until),
    def("untilStep", until_step),
];

const fn def(name: &'static str, function: super::Function) -> FunctionDef {
    FunctionDef {
        name,
        function,
        generated: false,
    }
}

/// The longest list `until`/`untilStep` build: Go would try to allocate
/// anything; Vigie refuses rather than exhaust memory on hostile input.
const MAX_SEQUENCE: usize = 10_000_000;

fn text(s: impl Into<Rc<str>>) -> Result<Value, String> {
    Ok(Value::String(s.into()))
}

/// Bytes of a Go string sliced at byte offsets, as Go does (a cut inside a
/// UTF-8 sequence leaves replacement characters).
fn byte_slice(s: &str, start: usize, end: usize) -> String {
    String::from_utf8_lossy(&s.as_bytes()[start..end]).into_owned()
}

fn one_string<'a>(name: &str, args: &'a [Value]) -> Result<&'a str, String> {
    count(name, args, 1)?;
    arguments::string(&args[0])
}

fn hello(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("hello", args, 0)?;
    text("Hello!")
}

/// Commons-lang's `AbbreviateFull`, on bytes as goutils does.
fn abbreviate_full(s: &str, offset: i64, width: i64) -> String {
    let len = s.len() as i64;
    if s.is_empty() || width < 4 || len <= width {
        return s.to_string();
    }
    let mut offset = offset.min(len);
    // Go's int arithmetic wraps; so does this.
    if len.wrapping_sub(offset) < width - 3 {
        offset = len - (width - 3);
    }
    if offset <= 4 {
        return byte_slice(s, 0, (width - 3) as usize) + "...";
    }
    if width < 7 {
        // goutils returns an error, which Sprig turns into an empty string.
        return String::new();
    }
    if offset + width - 3 < len {
        let rest = &s.as_bytes()[offset as usize..];
        let rest = String::from_utf8_lossy(rest);
        return format!("...{}", abbreviate_full(&rest, 0, width - 3));
    }
    format!(
        "...{}",
        byte_slice(s, (len - (width - 3)) as usize, s.len())
    )
}

fn abbrev(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("abbrev", args, 2)?;
    let width = arguments::int(&args[0])?;
    let s = arguments::string(&args[1])?;
    if width < 4 {
        return text(s);
    }
    text(abbreviate_full(s, 0, width))
}

fn abbrevboth(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("abbrevboth", args, 3)?;
    let left = arguments::int(&args[0])?;
    let right = arguments::int(&args[1])?;
    let s = arguments::string(&args[2])?;
    if right < 4 || (left > 0 && right < 7) {
        return text(s);
    }
    text(abbreviate_full(s, left, right))
}

fn trunc(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("trunc", args, 2)?;
    let c = arguments::int(&args[0])?;
    let s = arguments::string(&args[1])?;
    let len = s.len() as i64;
    if c < 0 && len + c > 0 {
        return text(byte_slice(s, (len + c) as usize, s.len()));
    }
    if c >= 0 && len > c {
        return text(byte_slice(s, 0, c as usize));
    }
    text(s)
}

fn trim(_: &Env, args: &[Value]) -> Result<Value, String> {
    text(one_string("trim", args)?.trim())
}

fn upper(_: &Env, args: &[Value]) -> Result<Value, String> {
    text(one_string("upper", args)?.to_uppercase())
}

fn lower(_: &Env, args: &[Value]) -> Result<Value, String> {
    text(one_string("lower", args)?.to_lowercase())
}

/// Go's `strings.Title` separators: ASCII other than letters, digits and
/// `_`, and white space.
fn is_title_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    c.is_whitespace()
}

fn title(_: &Env, args: &[Value]) -> Result<Value, String> {
    let s = one_string("title", args)?;
    let mut out = String::with_capacity(s.len());
    let mut previous = ' ';
    for c in s.chars() {
        if is_title_separator(previous) {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        previous = c;
    }
    text(out)
}

fn untitle(_: &Env, args: &[Value]) -> Result<Value, String> {
    let s = one_string("untitle", args)?;
    let mut out = String::with_capacity(s.len());
    let mut at_word_start = true;
    for c in s.chars() {
        if c.is_whitespace() {
            at_word_start = true;
            out.push(c);
        } else if at_word_start {
            out.extend(c.to_lowercase());
            at_word_start = false;
        } else {
            out.push(c);
        }
    }
    text(out)
}

fn substr(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("substr", args, 3)?;
    let start = arguments::int(&args[0])?;
    let end = arguments::int(&args[1])?;
    let s = arguments::string(&args[2])?;
    let len = s.len() as i64;
    // Go slices panic out of range; Sprig lets the runtime error through.
    if start < 0 {
        if end < 0 || end > len {
            return Err(format!(
                "runtime error: slice bounds out of range [:{end}] with length {len}"
            ));
        }
        return text(byte_slice(s, 0, end as usize));
    }
    if end < 0 || end > len {
        if start > len {
            return Err(format!(
                "runtime error: slice bounds out of range [{start}:{len}]"
            ));
        }
        return text(byte_slice(s, start as usize, s.len()));
    }
    if start > end {
        return Err(format!(
            "runtime error: slice bounds out of range [{start}:{end}]"
        ));
    }
    text(byte_slice(s, start as usize, end as usize))
}

fn repeat(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("repeat", args, 2)?;
    let times = arguments::int(&args[0])?;
    let s = arguments::string(&args[1])?;
    if times < 0 {
        return Err("strings: negative Repeat count".to_string());
    }
    if (s.len() as u128) * (times as u128) > MAX_SEQUENCE as u128 * 10 {
        return Err("strings: Repeat output length overflow".to_string());
    }
    text(s.repeat(times as usize))
}

fn two_strings<'a>(name: &str, args: &'a [Value]) -> Result<(&'a str, &'a str), String> {
    count(name, args, 2)?;
    Ok((arguments::string(&args[0])?, arguments::string(&args[1])?))
}

fn trim_all(_: &Env, args: &[Value]) -> Result<Value, String> {
    let (cutset, s) = two_strings("trimAll", args)?;
    text(s.trim_matches(|c| cutset.contains(c)))
}

fn trim_suffix(_: &Env, args: &[Value]) -> Result<Value, String> {
    let (suffix, s) = two_strings("trimSuffix", args)?;
    text(s.strip_suffix(suffix).unwrap_or(s))
}

fn trim_prefix(_: &Env, args: &[Value]) -> Result<Value, String> {
    let (prefix, s) = two_strings("trimPrefix", args)?;
    text(s.strip_prefix(prefix).unwrap_or(s))
}

fn nospace(_: &Env, args: &[Value]) -> Result<Value, String> {
    let s = one_string("nospace", args)?;
    text(s.chars().filter(|c| !c.is_whitespace()).collect::<String>())
}

fn initials(_: &Env, args: &[Value]) -> Result<Value, String> {
    let s = one_string("initials", args)?;
    let letters: String = s
        .split(char::is_whitespace)
        .filter_map(|word| word.chars().next())
        .collect();
    text(letters)
}

fn swapcase(_: &Env, args: &[Value]) -> Result<Value, String> {
    let s = one_string("swapcase", args)?;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_uppercase() {
            out.extend(c.to_lowercase());
        } else if c.is_lowercase() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    text(out)
}

/// Splits an identifier into words as xstrings does for snake and kebab
/// case: at separators, at a lower-to-upper change, and before the last
/// capital of a run of capitals followed by a lower-case letter
/// (`HTTPServer` → `HTTP`, `Server`). Digits stay with what precedes them.
fn identifier_words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c.is_whitespace() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if c.is_uppercase() && !current.is_empty() {
            let previous = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if previous.is_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_uppercase() && next_lower)
            {
                words.push(std::mem::take(&mut current));
            }
        }
        // Digits after a run of capitals start a word (`ABC123` → `abc_123`).
        if c.is_ascii_digit()
            && i >= 2
            && chars[i - 1].is_uppercase()
            && chars[i - 2].is_uppercase()
            && !current.is_empty()
        {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn snakecase(_: &Env, args: &[Value]) -> Result<Value, String> {
    let s = one_string("snakecase", args)?;
    text(identifier_words(s).join("_").to_lowercase())
}

fn kebabcase(_: &Env, args: &[Value]) -> Result<Value, String> {
    let s = one_string("kebabcase", args)?;
    text(identifier_words(s).join("-").to_lowercase())
}

fn camelcase(_: &Env, args: &[Value]) -> Result<Value, String> {
    let s = one_string("camelcase", args)?;
    let mut out = String::with_capacity(s.len());
    let pieces: Vec<&str> = s.split(['_', '-', ' ']).collect();
    let last = pieces.len().saturating_sub(1);
    for (index, word) in pieces.iter().enumerate() {
        // Separators at either end, and doubled ones, leave one `_`.
        if word.is_empty() {
            if index == 0 || index == last || pieces.get(index + 1).is_some_and(|w| !w.is_empty()) {
                out.push('_');
            }
            continue;
        }
        let all_upper = word.chars().all(|c| !c.is_lowercase());
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            if all_upper {
                out.push_str(&chars.as_str().to_lowercase());
            } else {
                out.push_str(chars.as_str());
            }
        }
    }
    text(out)
}

/// Commons-lang's `WrapText` as goutils ports it, on bytes.
fn wrap_text(s: &str, width: i64, newline: &str, long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let newline = if newline.is_empty() { "\n" } else { newline };
    let width = width.max(1) as usize;
    let bytes = s.as_bytes();
    let len = bytes.len();
    let mut offset = 0;
    let mut out = String::new();
    while len - offset > width {
        if bytes[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = width + offset + 1;
        let space = bytes[offset..end].iter().rposition(|&b| b == b' ');
        if let Some(space) = space.map(|i| i + offset) {
            out.push_str(&byte_slice(s, offset, space));
            out.push_str(newline);
            offset = space + 1;
        } else if long_words {
            out.push_str(&byte_slice(s, offset, width + offset));
            out.push_str(newline);
            offset += width;
        } else {
            let end = width + offset;
            match bytes[end..].iter().position(|&b| b == b' ') {
                None => {
                    out.push_str(&byte_slice(s, offset, len));
                    offset = len;
                }
                Some(index) => {
                    let space = index + end;
                    out.push_str(&byte_slice(s, offset, space));
                    out.push_str(newline);
                    offset = space + 1;
                }
            }
        }
    }
    out.push_str(&byte_slice(s, offset, len));
    out
}

fn wrap(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("wrap", args, 2)?;
    let width = arguments::int(&args[0])?;
    let s = arguments::string(&args[1])?;
    text(wrap_text(s, width, "\n", false))
}

fn wrap_with(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("wrapWith", args, 3)?;
    let width = arguments::int(&args[0])?;
    let separator = arguments::string(&args[1])?;
    let s = arguments::string(&args[2])?;
    text(wrap_text(s, width, separator, true))
}

fn contains(_: &Env, args: &[Value]) -> Result<Value, String> {
    let (needle, s) = two_strings("contains", args)?;
    Ok(Value::Bool(s.contains(needle)))
}

fn has_prefix(_: &Env, args: &[Value]) -> Result<Value, String> {
    let (prefix, s) = two_strings("hasPrefix", args)?;
    Ok(Value::Bool(s.starts_with(prefix)))
}

fn has_suffix(_: &Env, args: &[Value]) -> Result<Value, String> {
    let (suffix, s) = two_strings("hasSuffix", args)?;
    Ok(Value::Bool(s.ends_with(suffix)))
}

/// Go's `strconv.Quote` (what `%q` prints for a string).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            '\u{fffd}' => out.push_str("\\ufffd"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `strconv.IsPrint` outside ASCII: control,
/// format, separator and private-use characters are escaped.
fn is_go_printable(c: char) -> bool {
    let code = c as u32;
    !(c.is_control()
        || (0x2000..=0x200f).contains(&code)
        || (0x2028..=0x202f).contains(&code)
        || (0x205f..=0x206f).contains(&code)
        || code == 0x00a0
        || code == 0x00ad
        || code == 0x3000
        || code == 0xfeff
        || (0xe000..=0xf8ff).contains(&code)
        || (0xfff0..=0xfffb).contains(&code))
}

fn quote(_: &Env, args: &[Value]) -> Result<Value, String> {
    let quoted: Vec<String> = args
        .iter()
        .filter(|v| !matches!(v, Value::Nil))
        .map(|v| go_quote(&arguments::to_string(v)))
        .collect();
    text(quoted.join(" "))
}

fn squote(_: &Env, args: &[Value]) -> Result<Value, String> {
    let quoted: Vec<String> = args
        .iter()
        .filter(|v| !matches!(v, Value::Nil))
        .map(|v| format!("'{}'", arguments::to_string(v)))
        .collect();
    text(quoted.join(" "))
}

fn cat(_: &Env, args: &[Value]) -> Result<Value, String> {
    let parts: Vec<String> = args
        .iter()
        .filter(|v| !matches!(v, Value::Nil))
        .map(|v| v.to_string())
        .collect();
    text(parts.join(" "))
}

fn indented(name: &str, args: &[Value]) -> Result<String, String> {
    count(name, args, 2)?;
    let spaces = arguments::int(&args[0])?;
    let s = arguments::string(&args[1])?;
    if spaces > MAX_SEQUENCE as i64 {
        return Err(format!("{name}: {spaces} spaces is more than Vigie writes"));
    }
    let pad = " ".repeat(spaces.max(0) as usize);
    Ok(format!("{pad}{}", s.replace('\n', &format!("\n{pad}"))))
}

fn indent(_: &Env, args: &[Value]) -> Result<Value, String> {
    text(indented("indent", args)?)
}

fn nindent(_: &Env, args: &[Value]) -> Result<Value, String> {
    text(format!("\n{}", indented("nindent", args)?))
}

fn replace(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("replace", args, 3)?;
    let old = arguments::string(&args[0])?;
    let new = arguments::string(&args[1])?;
    let s = arguments::string(&args[2])?;
    if old.is_empty() {
        // Go inserts `new` before every rune and at the end.
        let mut out = String::new();
        for c in s.chars() {
            out.push_str(new);
            out.push(c);
        }
        out.push_str(new);
        return text(out);
    }
    text(s.replace(old, new))
}

fn plural(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("plural", args, 3)?;
    let one = arguments::string(&args[0])?;
    let many = arguments::string(&args[1])?;
    let n = arguments::int(&args[2])?;
    text(if n == 1 { one } else { many })
}

fn to_string(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("toString", args, 1)?;
    text(arguments::to_string(&args[0]))
}

fn string_list(items: Vec<String>) -> Value {
    Value::list(items.into_iter().map(Value::string).collect())
}

fn to_strings(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("toStrings", args, 1)?;
    Ok(string_list(arguments::to_strings(&args[0])))
}

/// Go's `strings.SplitN` (`n < 0`: all pieces).
pub fn go_split(s: &str, separator: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if separator.is_empty() {
        let mut pieces: Vec<String> = Vec::new();
        let chars: Vec<char> = s.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if n > 0 && pieces.len() as i64 == n - 1 {
                pieces.push(chars[i..].iter().collect());
                return pieces;
            }
            pieces.push(c.to_string());
        }
        return pieces;
    }
    if n < 0 {
        s.split(separator).map(str::to_string).collect()
    } else {
        s.splitn(n as usize, separator)
            .map(str::to_string)
            .collect()
    }
}

fn indexed_map(pieces: Vec<String>) -> Value {
    let entries: Map = pieces
        .into_iter()
        .enumerate()
        .map(|(i, piece)| (format!("_{i}"), Value::string(piece)))
        .collect();
    Value::map(entries)
}

fn split(_: &Env, args: &[Value]) -> Result<Value, String> {
    let (separator, s) = two_strings("split", args)?;
    Ok(indexed_map(go_split(s, separator, -1)))
}

fn split_list(_: &Env, args: &[Value]) -> Result<Value, String> {
    let (separator, s) = two_strings("splitList", args)?;
    Ok(string_list(go_split(s, separator, -1)))
}

fn splitn(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("splitn", args, 3)?;
    let separator = arguments::string(&args[0])?;
    let n = arguments::int(&args[1])?;
    let s = arguments::string(&args[2])?;
    Ok(indexed_map(go_split(s, separator, n)))
}

fn join(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("join", args, 2)?;
    let separator = arguments::string(&args[0])?;
    text(arguments::to_strings(&args[1]).join(separator))
}

fn sort_alpha(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("sortAlpha", args, 1)?;
    let mut items = match &args[0] {
        Value::List(_) | Value::Bytes(_) => arguments::to_strings(&args[0]),
        other => vec![arguments::to_string(other)],
    };
    items.sort();
    Ok(string_list(items))
}

/// Sprig's `untilStep`, bounded by [`MAX_SEQUENCE`].
fn step_range(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, String> {
    let span = (i128::from(stop) - i128::from(start)).unsigned_abs();
    let length = span / i128::from(step).unsigned_abs().max(1);
    if length > MAX_SEQUENCE as u128 {
        return Err(format!("sequence longer than {MAX_SEQUENCE} items"));
    }
    let mut values = Vec::new();
    let mut i = start;
    if stop < start {
        if step >= 0 {
            return Ok(values);
        }
        while i > stop {
            values.push(i);
            i = i.saturating_add(step);
            if values.len() > MAX_SEQUENCE {
                return Err(format!("sequence longer than {MAX_SEQUENCE} items"));
            }
        }
        return Ok(values);
    }
    if step <= 0 {
        return Ok(values);
    }
    while i < stop {
        values.push(i);
        let Some(next) = i.checked_add(step) else {
            break;
        };
        i = next;
        if values.len() > MAX_SEQUENCE {
            return Err(format!("sequence longer than {MAX_SEQUENCE} items"));
        }
    }
    Ok(values)
}

fn int_list(values: Vec<i64>) -> Value {
    Value::list(values.into_iter().map(Value::Int).collect())
}

fn until(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("until", args, 1)?;
    let n = arguments::int(&args[0])?;
    let step = if n < 0 { -1 } else { 1 };
    Ok(int_list(step_range(0, n, step)?))
}

fn until_step(_: &Env, args: &[Value]) -> Result<Value, String> {
    count("untilStep", args, 3)?;
    let start = arguments::int(&args[0])?;
    let stop = arguments::int(&args[1])?;
    let step = arguments::int(&args[2])?;
    Ok(int_list(step_range(start, stop, step)?))
}

fn seq(_: &Env, args: &[Value]) -> Result<Value, String> {
    let params: Vec<i64> = args.iter().map(arguments::int).collect::<Result<_, _>>()?;
    let values = match params.as_slice() {
        [end] => {
            let step = if *end < 1 { -1 } else { 1 };
            step_range(1, end.saturating_add(step), step)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            step_range(*start, end.saturating_add(step), step)?
        }
        [start, step, end] => {
            let increment = if end < start { -1 } else { 1 };
            if (end < start && *step > 0) || (end >= start && *step < 0) {
                return text("");
            }
            step_range(*start, end.saturating_add(increment), *step)?
        }
        _ => return text(""),
    };
    let words: Vec<String> = values.iter().map(i64::to_string).collect();
    text(words.join(" "))
}
