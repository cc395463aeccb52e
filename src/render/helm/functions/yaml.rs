//! `toYaml` exactly as Helm writes it: `sigs.k8s.io/yaml.Marshal` turns the
//! value into JSON, reads that JSON back with go-yaml v2 (so numbers become
//! ints when they have no fraction) and lets go-yaml v2 emit it: keys in its
//! sort order, block style, sequences not indented under their key, strings
//! quoted when they would read as something else, multi-line strings as
//! literal blocks, long lines folded past column 80. `toYamlPretty` uses
//! go-yaml v3 on the value itself: sequences indented, no folding.

use super::super::value::Value;
use super::json;

/// A value as go-yaml sees it.
enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in go-yaml's key order.
    Map(Vec<(String, Node)>),
}

/// Which go-yaml writes the document.
#[derive(Clone, Copy, PartialEq)]
pub enum Flavor {
    /// `toYaml`: JSON round trip, go-yaml v2.
    Helm,
    /// `toYamlPretty`: go-yaml v3 with an indent of 2.
    Pretty,
}

/// The YAML text Helm's `toYaml`/`toYamlPretty` return (trailing newline
/// removed), or `None` where Go's marshalling fails (NaN, infinities), for
/// which Helm returns an empty string.
pub fn to_yaml(value: &Value, flavor: Flavor) -> Option<String> {
    let node = match flavor {
        Flavor::Helm => from_json_round_trip(value)?,
        Flavor::Pretty => from_value(value)?,
    };
    let mut writer = Writer {
        out: String::new(),
        flavor,
    };
    writer.document(&node);
    let text = writer.out;
    Some(text.strip_suffix('\n').unwrap_or(&text).to_string())
}

fn sorted(mut entries: Vec<(String, Node)>) -> Vec<(String, Node)> {
    entries.sort_by(|(a, _), (b, _)| key_order(a, b));
    entries
}

/// go-yaml's `keyList.Less` for string keys: letters compare as runes,
/// non-letters sort before letters, and runs of digits compare as numbers.
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

/// The value after `json.Marshal` and go-yaml v2's reading of that JSON.
fn from_json_round_trip(value: &Value) -> Option<Node> {
    Some(match value {
        Value::Nil => Node::Null,
        Value::Bool(b) => Node::Bool(*b),
        Value::Int(i) => Node::Int(*i),
        Value::Float(x) => {
            let text = json::go_json_float(*x)?;
            if let Ok(i) = text.parse::<i64>() {
                Node::Int(i)
            } else if let Ok(u) = text.parse::<u64>() {
                Node::Uint(u)
            } else {
                Node::Float(text.parse().ok()?)
            }
        }
        Value::String(s) => Node::Str(s.to_string()),
        Value::Bytes(_) => Node::Str(json::plain_text(value)),
        Value::Object(_) => from_json_round_trip(&json::object_as_json(value))?,
        Value::List(items) => Node::Seq(
            items
                .iter()
                .map(from_json_round_trip)
                .collect::<Option<_>>()?,
        ),
        Value::Map(entries) => Node::Map(sorted(
            entries
                .borrow()
                .iter()
                .map(|(k, v)| Some((k.clone(), from_json_round_trip(v)?)))
                .collect::<Option<_>>()?,
        )),
    })
}

/// The value as go-yaml v3 encodes Go values directly.
fn from_value(value: &Value) -> Option<Node> {
    Some(match value {
        Value::Float(x) => Node::Float(*x),
        Value::List(items) => Node::Seq(items.iter().map(from_value).collect::<Option<_>>()?),
        Value::Map(entries) => Node::Map(sorted(
            entries
                .borrow()
                .iter()
                .map(|(k, v)| Some((k.clone(), from_value(v)?)))
                .collect::<Option<_>>()?,
        )),
        other => from_json_round_trip(other)?,
    })
}

/// go-yaml v2's resolution of a plain scalar: whether it reads as anything
/// but a string (booleans of YAML 1.1, null, numbers, timestamps).
fn reads_as_non_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "", "~", "null", "Null", "NULL",
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF",
    ];
    if SPECIAL.contains(&s) {
        return true;
    }
    let Some(first) = s.bytes().next() else {
        return true;
    };
    match first {
        b'.' => s.parse::<f64>().is_ok() && !s[1..].is_empty() && float_syntax(s),
        b'+' | b'-' | b'0'..=b'9' => {
            if is_timestamp(s) {
                return true;
            }
            let plain = s.replace('_', "");
            if super::arguments::parse_go_int(&plain).is_some() {
                return true;
            }
            let unsigned = plain.strip_prefix('+').unwrap_or(&plain);
            if u64_base0(unsigned) {
                return true;
            }
            if float_syntax(&plain) && plain.parse::<f64>().is_ok() {
                return true;
            }
            if let Some(bits) = plain
                .strip_prefix("0b")
                .or_else(|| plain.strip_prefix("-0b"))
            {
                return !bits.is_empty() && bits.bytes().all(|b| b == b'0' || b == b'1');
            }
            false
        }
        _ => false,
    }
}

fn u64_base0(s: &str) -> bool {
    if let Some(hex) = s.strip_prefix("0x") {
        return u64::from_str_radix(hex, 16).is_ok();
    }
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u64>().is_ok()
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn float_syntax(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(at) => (&s[..at], Some(&s[at + 1..])),
        None => (s, None),
    };
    let mantissa_ok = if let Some(fraction) = mantissa.strip_prefix('.') {
        !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit())
    } else {
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit())
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// go-yaml's timestamp forms: `2006-1-2`, optionally followed by a time.
fn is_timestamp(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.len() < 8 || !bytes[..4].iter().all(u8::is_ascii_digit) || bytes[4] != b'-' {
        return false;
    }
    let date_end = s.find(['T', 't', ' ']).unwrap_or(s.len());
    let mut parts = s[5..date_end].split('-');
    let month = parts.next().unwrap_or("");
    let day = parts.next().unwrap_or("");
    let short_number =
        |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !short_number(month) || !short_number(day) {
        return false;
    }
    if date_end == s.len() {
        return true;
    }
    // A time part: hours, minutes, seconds at least.
    let time = &s[date_end + 1..];
    let clock = time.trim_start_matches(' ');
    let fields: Vec<&str> = clock.splitn(3, ':').collect();
    fields.len() == 3
        && short_number(fields[0])
        && short_number(fields[1])
        && fields[2].len() >= 2
        && fields[2].as_bytes()[..2].iter().all(u8::is_ascii_digit)
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
fn is_base60_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (main, fraction) = s.split_once('.').unwrap_or((s, ""));
    if !fraction.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return false;
    }
    let mut parts = main.split(':');
    let head = parts.next().unwrap_or("");
    if !head.as_bytes().first().is_some_and(u8::is_ascii_digit)
        || !head.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        return false;
    }
    let mut sexagesimal = 0;
    for part in parts {
        sexagesimal += 1;
        let ok = match part.as_bytes() {
            [d] => d.is_ascii_digit(),
            [t, d] => (b'0'..=b'5').contains(t) && d.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    sexagesimal > 0
}

/// libyaml's printable characters.
fn is_printable(c: char) -> bool {
    matches!(c as u32,
        0x0A | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
        && c != '\u{FEFF}'
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// What libyaml's `analyze_scalar` allows for a string.
struct Analysis {
    block_plain: bool,
    single_quoted: bool,
    block: bool,
}

fn analyze(s: &str) -> Analysis {
    let chars: Vec<char> = s.chars().collect();
    let (mut flow_indicators, mut block_indicators) = (false, false);
    if s.starts_with("---") || s.starts_with("...") {
        flow_indicators = true;
        block_indicators = true;
    }
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break, mut line_breaks, mut special) =
        (false, false, false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let followed_by_whitespace =
            next.is_none_or(|n| n == ' ' || n == '\t' || is_break(n) || n == '\0');
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        let last = i + 1 == chars.len();
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if last {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if last {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = c == ' ' || c == '\t' || is_break(c);
    }
    let mut analysis = Analysis {
        block_plain: true,
        single_quoted: true,
        block: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        analysis.block_plain = false;
    }
    if trailing_space {
        analysis.block = false;
    }
    if break_space {
        analysis.block_plain = false;
        analysis.single_quoted = false;
    }
    if space_break || special {
        analysis.block_plain = false;
        analysis.single_quoted = false;
        analysis.block = false;
    }
    if line_breaks || block_indicators {
        analysis.block_plain = false;
    }
    // Flow indicators only matter inside flow collections, which Helm's
    // output never has around strings.
    let _ = flow_indicators;
    analysis
}

#[derive(PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

fn string_style(s: &str, key: bool) -> Style {
    let quoted_for_type = reads_as_non_string(s) || is_base60_float(s);
    let requested = if s.contains('\n') {
        Style::Literal
    } else if quoted_for_type {
        Style::Double
    } else {
        Style::Plain
    };
    let analysis = analyze(s);
    match requested {
        Style::Plain if analysis.block_plain && !(s.is_empty() && key) => Style::Plain,
        Style::Plain | Style::Single if analysis.single_quoted => Style::Single,
        Style::Literal if analysis.block && !key => Style::Literal,
        _ => Style::Double,
    }
}

const BEST_WIDTH: usize = 80;

struct Writer {
    out: String,
    flavor: Flavor,
}

impl Writer {
    fn column(&self) -> usize {
        let line_start = self.out.rfind('\n').map_or(0, |i| i + 1);
        self.out[line_start..].chars().count()
    }

    fn wraps(&self) -> bool {
        self.flavor == Flavor::Helm
    }

    fn newline_indent(&mut self, indent: usize) {
        self.out.push('\n');
        for _ in 0..indent {
            self.out.push(' ');
        }
    }

    fn document(&mut self, node: &Node) {
        match node {
            Node::Seq(items) if !items.is_empty() => self.sequence(items, 0, false),
            Node::Map(entries) if !entries.is_empty() => self.mapping(entries, 0, false),
            scalar => {
                self.scalar(scalar, 2, false);
                if !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
            }
        }
    }

    /// Writes `- item` lines at `indent`; `inline` when the first dash
    /// follows text already on the line.
    fn sequence(&mut self, items: &[Node], indent: usize, inline: bool) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 || !inline {
                self.pad(indent);
            }
            self.out.push_str("- ");
            self.value_after_indicator(item, indent + 2);
        }
    }

    fn pad(&mut self, indent: usize) {
        for _ in 0..indent {
            self.out.push(' ');
        }
    }

    fn mapping(&mut self, entries: &[(String, Node)], indent: usize, inline: bool) {
        for (i, (key, value)) in entries.iter().enumerate() {
            if i > 0 || !inline {
                self.pad(indent);
            }
            if key.chars().any(is_break) || key.chars().count() > 128 {
                // Not a simple key: go-yaml writes `? key` then `: value`.
                self.out.push_str("? ");
                self.string(key, indent + 2, false);
                if !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
                self.pad(indent);
            } else {
                self.string(key, indent + 2, true);
            }
            self.out.push(':');
            match value {
                Node::Map(inner) if !inner.is_empty() => {
                    self.out.push('\n');
                    self.mapping(inner, indent + 2, false);
                }
                Node::Seq(items) if !items.is_empty() => {
                    self.out.push('\n');
                    let nested = match self.flavor {
                        Flavor::Helm => indent,
                        Flavor::Pretty => indent + 2,
                    };
                    self.sequence(items, nested, false);
                }
                scalar => {
                    self.out.push(' ');
                    self.scalar(scalar, indent + 2, false);
                    if !self.out.ends_with('\n') {
                        self.out.push('\n');
                    }
                }
            }
        }
    }

    /// A sequence item's value, after `- `.
    fn value_after_indicator(&mut self, node: &Node, indent: usize) {
        match node {
            Node::Map(inner) if !inner.is_empty() => self.mapping(inner, indent, true),
            Node::Seq(items) if !items.is_empty() => self.sequence(items, indent, true),
            scalar => {
                self.scalar(scalar, indent, false);
                if !self.out.ends_with('\n') {
                    self.out.push('\n');
                }
            }
        }
    }

    fn scalar(&mut self, node: &Node, indent: usize, key: bool) {
        match node {
            Node::Null => self.out.push_str("null"),
            Node::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Node::Int(i) => self.out.push_str(&i.to_string()),
            Node::Uint(u) => self.out.push_str(&u.to_string()),
            Node::Float(x) => self.out.push_str(&yaml_float(*x)),
            Node::Str(s) => self.string(s, indent, key),
            Node::Seq(_) => self.out.push_str("[]"),
            Node::Map(_) => self.out.push_str("{}"),
        }
    }

    fn string(&mut self, s: &str, indent: usize, key: bool) {
        let allow_breaks = !key && self.wraps();
        match string_style(s, key) {
            Style::Plain => self.plain(s, indent, allow_breaks),
            Style::Single => self.single_quoted(s, indent, allow_breaks),
            Style::Double => self.double_quoted(s, indent, allow_breaks),
            Style::Literal => self.literal(s, indent),
        }
    }

    fn plain(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column() > BEST_WIDTH && !next_space {
                    self.newline_indent(indent);
                } else {
                    self.out.push(c);
                }
                spaces = true;
            } else {
                self.out.push(c);
                spaces = false;
            }
        }
    }

    fn single_quoted(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        self.out.push('\'');
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks
                    && !spaces
                    && self.column() > BEST_WIDTH
                    && i != 0
                    && i + 1 != chars.len()
                    && !next_space
                {
                    self.newline_indent(indent);
                } else {
                    self.out.push(c);
                }
                spaces = true;
            } else {
                if c == '\'' {
                    self.out.push('\'');
                }
                self.out.push(c);
                spaces = false;
            }
        }
        self.out.push('\'');
    }

    fn double_quoted(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        self.out.push('"');
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                self.out.push('\\');
                match c {
                    '\0' => self.out.push('0'),
                    '\u{7}' => self.out.push('a'),
                    '\u{8}' => self.out.push('b'),
                    '\t' => self.out.push('t'),
                    '\n' => self.out.push('n'),
                    '\u{b}' => self.out.push('v'),
                    '\u{c}' => self.out.push('f'),
                    '\r' => self.out.push('r'),
                    '\u{1b}' => self.out.push('e'),
                    '"' => self.out.push('"'),
                    '\\' => self.out.push('\\'),
                    '\u{85}' => self.out.push('N'),
                    '\u{a0}' => self.out.push('_'),
                    '\u{2028}' => self.out.push('L'),
                    '\u{2029}' => self.out.push('P'),
                    c if (c as u32) <= 0xFF => self.out.push_str(&format!("x{:02X}", c as u32)),
                    c if (c as u32) <= 0xFFFF => self.out.push_str(&format!("u{:04X}", c as u32)),
                    c => self.out.push_str(&format!("U{:08X}", c as u32)),
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column() > BEST_WIDTH
                    && i != 0
                    && i + 1 != chars.len()
                {
                    self.newline_indent(indent);
                    if chars.get(i + 1) == Some(&' ') {
                        self.out.push('\\');
                    }
                } else {
                    self.out.push(c);
                }
                spaces = true;
            } else {
                self.out.push(c);
                spaces = false;
            }
        }
        self.out.push('"');
    }

    fn literal(&mut self, s: &str, indent: usize) {
        self.out.push('|');
        if s.starts_with([' ', '\n']) {
            self.out.push('2');
        }
        let mut reversed = s.chars().rev();
        let last = reversed.next();
        let before_last = reversed.next();
        match (last, before_last) {
            (Some(l), _) if !is_break(l) => self.out.push('-'),
            (Some(_), None) => self.out.push('+'),
            (Some(_), Some(b)) if is_break(b) => self.out.push('+'),
            (None, _) => self.out.push('-'),
            _ => {}
        }
        self.out.push('\n');
        let mut at_line_start = true;
        for c in s.chars() {
            if c == '\n' {
                self.out.push('\n');
                at_line_start = true;
            } else {
                if at_line_start {
                    self.pad(indent);
                    at_line_start = false;
                }
                self.out.push(c);
            }
        }
    }
}

/// go-yaml's float text: Go's shortest `%g`, with YAML's infinities.
fn yaml_float(x: f64) -> String {
    if x.is_nan() {
        return ".nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    super::super::value::format_float_g(x)
}
