//! JSON 6902 patches, as kustomize v5 applies them (evanphx/json-patch v4).
//!
//! Where that library departs from RFC 6902, kustomize's output does too,
//! and so does this: `replace` of a missing key of an existing mapping adds
//! it, negative array indices count from the end, `add` without a `value`
//! adds a null, and a path is split at every `/` even without a leading one.

use compact_str::CompactString;

use super::BuildError;
use crate::source::Span;
use crate::source::yaml::{Key, Node, Value};

/// Applies a JSON 6902 patch (`operations`, the list of operations) to
/// `target`. The values it adds keep the patch's spans; a failing
/// operation is reported at its span and leaves `target` unchanged.
pub fn json6902(target: &mut Node, operations: &Node) -> Result<(), BuildError> {
    let Some(operations) = operations.as_seq() else {
        return Err(BuildError::new(
            "a JSON 6902 patch must be a list of operations",
            Some(operations.span),
        ));
    };
    let mut patched = target.clone();
    for operation in operations {
        apply(&mut patched, operation)
            .map_err(|message| BuildError::new(message, Some(operation.span)))?;
    }
    *target = patched;
    Ok(())
}

/// One operation: its fields, and where its `path` was written (the key of
/// a field it creates points there).
struct Operation<'a> {
    node: &'a Node,
}

impl<'a> Operation<'a> {
    fn text(&self, field: &str) -> Result<&'a str, String> {
        match self.node.get(field) {
            None => Err(format!("operation is missing its `{field}` field")),
            Some(node) if node.is_null() => {
                Err(format!("operation is missing its `{field}` field"))
            }
            Some(node) => node
                .as_str()
                .ok_or_else(|| format!("the `{field}` of an operation must be a string")),
        }
    }

    fn path(&self) -> Result<&'a str, String> {
        self.text("path")
    }

    fn from(&self) -> Result<&'a str, String> {
        self.text("from")
    }

    /// The value to add; a null when the operation has none.
    fn value(&self) -> Node {
        self.node.get("value").cloned().unwrap_or(Node {
            value: Value::Null,
            span: self.node.span,
        })
    }

    /// Where the key of a field this operation creates is written.
    fn key_span(&self) -> Span {
        self.node
            .get("path")
            .map_or(self.node.span, |path| path.span)
    }
}

fn apply(doc: &mut Node, node: &Node) -> Result<(), String> {
    if node.as_map().is_none() {
        return Err("a JSON 6902 operation must be a mapping".to_string());
    }
    let operation = Operation { node };
    let kind = node.get("op").and_then(Node::as_str).unwrap_or("unknown");
    match kind {
        "add" => add(doc, &operation),
        "remove" => remove(doc, &operation),
        "replace" => replace(doc, &operation),
        "move" => move_value(doc, &operation),
        "copy" => copy(doc, &operation),
        "test" => test(doc, &operation),
        other => Err(format!("unexpected operation `{other}`")),
    }
}

fn add(doc: &mut Node, operation: &Operation) -> Result<(), String> {
    let path = operation.path()?;
    let (parent, key) = locate(doc, path)
        .ok_or_else(|| format!("add operation does not apply: doc is missing path: {path:?}"))?;
    insert(parent, &key, operation.value(), operation.key_span())
        .map_err(|e| format!("error in add for path: '{path}': {e}"))
}

fn remove(doc: &mut Node, operation: &Operation) -> Result<(), String> {
    let path = operation.path()?;
    let (parent, key) = locate(doc, path)
        .ok_or_else(|| format!("remove operation does not apply: doc is missing path: {path:?}"))?;
    take(parent, &key)
        .map(drop)
        .map_err(|e| format!("error in remove for path: '{path}': {e}"))
}

fn replace(doc: &mut Node, operation: &Operation) -> Result<(), String> {
    let path = operation.path()?;
    if path.is_empty() {
        let value = operation.value();
        if value.as_map().is_none() {
            return Err("replace operation value must be an object".to_string());
        }
        *doc = value;
        return Ok(());
    }
    let (parent, key) = locate(doc, path)
        .ok_or_else(|| format!("replace operation does not apply: doc is missing path: {path}"))?;
    let span = operation.key_span();
    match &mut parent.value {
        // A missing key is added, as json-patch v4 does.
        Value::Map(_) => {
            set_key(parent, &key, operation.value(), span);
            Ok(())
        }
        Value::Seq(items) => {
            let index = existing_index(&key, items.len()).map_err(|e| {
                format!("replace operation does not apply: doc is missing key: {path}: {e}")
            })?;
            items[index] = operation.value();
            Ok(())
        }
        _ => Err(format!(
            "replace operation does not apply: doc is missing path: {path}"
        )),
    }
}

fn move_value(doc: &mut Node, operation: &Operation) -> Result<(), String> {
    let from = operation.from()?;
    let (parent, key) = locate(doc, from).ok_or_else(|| {
        format!("move operation does not apply: doc is missing from path: {from}")
    })?;
    let value = take(parent, &key).map_err(|e| format!("error in move for path: '{key}': {e}"))?;
    let path = operation.path()?;
    let (parent, key) = locate(doc, path).ok_or_else(|| {
        format!("move operation does not apply: doc is missing destination path: {path}")
    })?;
    insert(parent, &key, value, operation.key_span())
        .map_err(|e| format!("error in move for path: '{path}': {e}"))
}

fn copy(doc: &mut Node, operation: &Operation) -> Result<(), String> {
    let from = operation.from()?;
    let (parent, key) = locate(doc, from).ok_or_else(|| {
        format!("copy operation does not apply: doc is missing from path: {from}")
    })?;
    // A missing key copies as a null, as in json-patch v4.
    let value = get(parent, &key)
        .map_err(|e| format!("error in copy for from: '{from}': {e}"))?
        .cloned()
        .unwrap_or(Node {
            value: Value::Null,
            span: operation.node.span,
        });
    let path = operation.path()?;
    let (parent, key) = locate(doc, path).ok_or_else(|| {
        format!("copy operation does not apply: doc is missing destination path: {path}")
    })?;
    insert(parent, &key, value, operation.key_span())
        .map_err(|e| format!("error while adding value during copy: {e}"))
}

fn test(doc: &mut Node, operation: &Operation) -> Result<(), String> {
    let path = operation.path()?;
    let expected = operation.value();
    let failed = || format!("testing value {path} failed");
    if path.is_empty() {
        return if json_equal(doc, &expected) {
            Ok(())
        } else {
            Err(failed())
        };
    }
    let (parent, key) = locate(doc, path)
        .ok_or_else(|| format!("test operation does not apply: is missing path: {path}"))?;
    let actual = get(parent, &key).map_err(|e| format!("error in test for path: '{path}': {e}"))?;
    match actual.filter(|node| !node.is_null()) {
        None if expected.is_null() => Ok(()),
        Some(actual) if json_equal(actual, &expected) => Ok(()),
        _ => Err(failed()),
    }
}

/// Finds the collection a JSON pointer's last token is in, and that token.
fn locate<'a>(doc: &'a mut Node, path: &str) -> Option<(&'a mut Node, String)> {
    let tokens: Vec<&str> = path.split('/').collect();
    let (last, parents) = tokens.split_last()?;
    // json-patch v4 ignores what comes before the first `/`.
    let parents = parents.get(1..)?;
    let mut node = doc;
    for token in parents {
        let token = unescape(token);
        node = match &mut node.value {
            Value::Map(entries) => {
                &mut entries
                    .iter_mut()
                    .find(|entry| entry.key.text == token)?
                    .value
            }
            Value::Seq(items) => {
                let index = existing_index(&token, items.len()).ok()?;
                &mut items[index]
            }
            _ => return None,
        };
    }
    matches!(node.value, Value::Map(_) | Value::Seq(_)).then(|| (node, unescape(last)))
}

/// Decodes `~1` to `/` and `~0` to `~`, in one pass.
fn unescape(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('~', Some('1')) => {
                out.push('/');
                chars.next();
            }
            ('~', Some('0')) => {
                out.push('~');
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// An array index like Go's `strconv.Atoi`: an optional sign, then digits.
fn parse_index(token: &str) -> Result<i64, String> {
    let digits = token.strip_prefix(['+', '-']).unwrap_or(token);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("value was not a proper array index: '{token}'"));
    }
    token
        .parse::<i64>()
        .map_err(|_| format!("value was not a proper array index: '{token}'"))
}

/// The position of an existing item; negative indices count from the end.
fn existing_index(token: &str, len: usize) -> Result<usize, String> {
    let index = parse_index(token)?;
    let len = len as i64;
    let index = if index < 0 { index + len } else { index };
    if index < 0 || index >= len {
        return Err(format!("Unable to access invalid index: {token}"));
    }
    Ok(index as usize)
}

fn get<'a>(parent: &'a Node, key: &str) -> Result<Option<&'a Node>, String> {
    match &parent.value {
        Value::Map(_) => Ok(parent.get(key)),
        Value::Seq(items) => Ok(Some(&items[existing_index(key, items.len())?])),
        _ => Err("not a collection".to_string()),
    }
}

fn take(parent: &mut Node, key: &str) -> Result<Node, String> {
    match &mut parent.value {
        Value::Map(_) => parent
            .remove(key)
            .map(|entry| entry.value)
            .ok_or_else(|| format!("Unable to remove nonexistent key: {key}")),
        Value::Seq(items) => {
            let index = existing_index(key, items.len())?;
            Ok(items.remove(index))
        }
        _ => Err("not a collection".to_string()),
    }
}

fn insert(parent: &mut Node, key: &str, value: Node, key_span: Span) -> Result<(), String> {
    match &mut parent.value {
        Value::Map(_) => {
            set_key(parent, key, value, key_span);
            Ok(())
        }
        Value::Seq(items) => {
            if key == "-" {
                items.push(value);
                return Ok(());
            }
            let index = parse_index(key)?;
            let len = items.len() as i64 + 1;
            let index = if index < 0 { index + len } else { index };
            if index < 0 || index >= len {
                return Err(format!("Unable to access invalid index: {key}"));
            }
            items.insert(index as usize, value);
            Ok(())
        }
        _ => Err("not a collection".to_string()),
    }
}

/// Sets a field of a mapping to a value from the patch.
fn set_key(map: &mut Node, key: &str, value: Node, key_span: Span) {
    match map.entry_mut(key) {
        Some(entry) => {
            entry.key.span = key_span;
            entry.value = value;
        }
        None => map.insert(
            Key {
                text: CompactString::from(key),
                span: key_span,
            },
            value,
        ),
    }
}

/// Equality as json-patch compares JSON documents: mappings regardless of
/// key order, numbers by value.
fn json_equal(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|entry| {
                    b.get(&entry.key.text)
                        .is_some_and(|other| json_equal(&entry.value, other))
                })
        }
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => *x as f64 == *y,
        (x, y) => x == y,
    }
}
