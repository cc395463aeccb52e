//! Writing spanned trees back as YAML (for `vigie render`): block style, and
//! strings quoted whenever a plain scalar would be read as something else.

use super::yaml::{Node, Value, resolve_plain};

/// One YAML document for a node, ending with a newline.
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    match &node.value {
        Value::Map(entries) if !entries.is_empty() => write_map(&mut out, node, 0),
        Value::Seq(items) if !items.is_empty() => write_seq(&mut out, node, 0),
        _ => {
            out.push_str(&scalar(node));
            out.push('\n');
        }
    }
    out
}

fn write_map(out: &mut String, node: &Node, indent: usize) {
    let Value::Map(entries) = &node.value else {
        return;
    };
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&string(&entry.key.text));
        out.push(':');
        write_value(out, &entry.value, indent, false);
    }
}

fn write_seq(out: &mut String, node: &Node, indent: usize) {
    let Value::Seq(items) = &node.value else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(&" ".repeat(indent));
        }
        out.push('-');
        write_value(out, item, indent, true);
    }
}

/// Writes what follows `key:` or `-`.
fn write_value(out: &mut String, value: &Node, indent: usize, in_sequence: bool) {
    match &value.value {
        Value::Map(entries) if !entries.is_empty() => {
            if in_sequence {
                out.push(' ');
                write_map(out, value, indent + 2);
            } else {
                out.push('\n');
                out.push_str(&" ".repeat(indent + 2));
                write_map(out, value, indent + 2);
            }
        }
        Value::Seq(items) if !items.is_empty() => {
            if in_sequence {
                out.push(' ');
                write_seq(out, value, indent + 2);
            } else {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                write_seq(out, value, indent);
            }
        }
        _ => {
            out.push(' ');
            out.push_str(&scalar(value));
            out.push('\n');
        }
    }
}

fn scalar(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_nan() => ".nan".to_string(),
        Value::Float(f) if f.is_infinite() => if *f > 0.0 { ".inf" } else { "-.inf" }.to_string(),
        Value::Float(f) => {
            let text = f.to_string();
            if text.contains(['.', 'e', 'E']) {
                text
            } else {
                format!("{text}.0")
            }
        }
        Value::Str(s) => string(s),
        Value::Seq(_) => "[]".to_string(),
        Value::Map(_) => "{}".to_string(),
    }
}

/// A string as a plain scalar when that reads back as the same string, else
/// double-quoted (JSON escapes are valid YAML).
fn string(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
    }
}

fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text.trim() != text
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.chars().any(|c| c.is_control() || c == '\u{feff}')
        || looks_like_timestamp(text)
    {
        return false;
    }
    matches!(resolve_plain(text), Value::Str(_))
}

/// Dates and times (`2001-12-14`, `2019-03-20T17:54:53Z`) are text to
/// Kubernetes but timestamps to YAML 1.1 readers; quote them, as kustomize
/// does.
fn looks_like_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5].is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::source::yaml::{Limits, load};

    fn round_trip(text: &str) {
        let node = load(FileId(0), "t.yaml", text, Limits::default())
            .documents
            .remove(0)
            .root;
        let emitted = to_yaml(&node);
        let again = load(FileId(0), "t.yaml", &emitted, Limits::default())
            .documents
            .remove(0)
            .root;
        assert!(same(&node, &again), "{text}\n---\n{emitted}");
    }

    fn same(a: &Node, b: &Node) -> bool {
        match (&a.value, &b.value) {
            (Value::Map(x), Value::Map(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y)
                        .all(|(p, q)| p.key.text == q.key.text && same(&p.value, &q.value))
            }
            (Value::Seq(x), Value::Seq(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
            }
            (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
            (x, y) => x == y,
        }
    }

    #[test]
    fn writes_yaml_that_reads_back_the_same() {
        round_trip("a: 1\nb: '1'\nc: 'yes'\nd: yes\ne: ''\nf: ~\ng: 'null'\nh: 1.5\ni: 2.0\n");
        round_trip(
            "spec:\n  containers:\n  - name: app\n    args: ['--x: y', '#no', '- dash']\n    env: []\n  empty: {}\n",
        );
        round_trip(
            "data:\n  script: \"line one\\nline two\\n\"\n  'key: colon': v\n  k: ' padded '\n",
        );
        round_trip("- [a, [b, c]]\n- {x: {y: z}}\n- - nested\n");
        round_trip("weird: \"tab\\there\"\nunicode: caf\u{e9}\n");
        round_trip("when: 2019-03-20T17:54:53Z\nday: '2001-12-14'\n");
        let node = load(FileId(0), "t.yaml", "a: 2001-12-14\n", Limits::default())
            .documents
            .remove(0)
            .root;
        assert!(to_yaml(&node).contains("a: \"2001-12-14\""));
    }
}
