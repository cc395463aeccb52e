//! `replacements`: copy a field of one object into fields of others. A copied
//! value keeps the span of its source field, so a finding on it points where
//! the value is really written.

use crate::source::yaml::{Key, Node, Value};

use super::select::{Target, effective_namespace};
use super::{BuildError, Object, build::cluster_scoped};

/// The path of a field: `spec.template.spec.containers.[name=app].image`.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Segment {
    Key(String),
    /// `[field=value]`: the items of a list whose field has that value.
    Match(String, String),
    /// `*` or `[*]`: every item (or every value of a mapping).
    Any,
    Index(usize),
}

/// Splits a field path on dots outside brackets.
pub(super) fn parse_path(path: &str) -> Vec<Segment> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => {
                depth += 1;
                current.push(c);
            }
            ']' => {
                depth -= 1;
                current.push(c);
            }
            '.' if depth == 0 => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    // `ports[0]` (the older syntax of vars) is `ports` then `[0]`.
    let parts = parts.into_iter().flat_map(|part| match part.find('[') {
        Some(open) if open > 0 && part.ends_with(']') => {
            vec![part[..open].to_string(), part[open..].to_string()]
        }
        _ => vec![part],
    });
    parts
        .filter(|p| !p.is_empty())
        .map(|part| {
            if part == "*" || part == "[*]" {
                return Segment::Any;
            }
            if let Some(inner) = part.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
                if let Some((field, value)) = inner.split_once('=') {
                    return Segment::Match(field.to_string(), value.to_string());
                }
                if let Ok(index) = inner.parse() {
                    return Segment::Index(index);
                }
                // `[a.b/c]`: a key holding dots or slashes.
                return Segment::Key(inner.to_string());
            }
            match part.parse() {
                Ok(index) => Segment::Index(index),
                Err(_) => Segment::Key(part),
            }
        })
        .collect()
}

/// The nodes at a path.
pub(super) fn lookup<'n>(node: &'n Node, path: &[Segment]) -> Vec<&'n Node> {
    let Some((first, rest)) = path.split_first() else {
        return vec![node];
    };
    let next: Vec<&Node> = match (first, &node.value) {
        (Segment::Key(key), Value::Map(_)) => node.get(key).into_iter().collect(),
        (Segment::Match(field, value), Value::Seq(items)) => items
            .iter()
            .filter(|i| item_matches(i, field, value))
            .collect(),
        (Segment::Any, Value::Seq(items)) => items.iter().collect(),
        (Segment::Any, Value::Map(entries)) => entries.iter().map(|e| &e.value).collect(),
        (Segment::Index(i), Value::Seq(items)) => items.get(*i).into_iter().collect(),
        _ => Vec::new(),
    };
    next.into_iter().flat_map(|n| lookup(n, rest)).collect()
}

/// Sets `value` at every node of a path; with `create`, missing mapping keys
/// are created. Returns how many fields were set.
fn assign(
    node: &mut Node,
    path: &[Segment],
    value: &Node,
    options: &Options,
    create: bool,
) -> Result<usize, String> {
    let Some((first, rest)) = path.split_first() else {
        set_value(node, value, options)?;
        return Ok(1);
    };
    let span = value.span;
    match first {
        Segment::Key(key) => {
            if node.get(key).is_none() {
                if !create || !matches!(node.value, Value::Map(_) | Value::Null) {
                    return Ok(0);
                }
                if node.is_null() {
                    node.value = Value::Map(Vec::new());
                }
                let fresh = if rest.is_empty() {
                    value.clone()
                } else {
                    Node::mapping(span)
                };
                node.insert(
                    Key {
                        text: key.as_str().into(),
                        span,
                    },
                    fresh,
                );
                if rest.is_empty() {
                    return Ok(1);
                }
            }
            match node.get_mut(key) {
                Some(child) => assign(child, rest, value, options, create),
                None => Ok(0),
            }
        }
        Segment::Match(field, wanted) => {
            let Value::Seq(items) = &mut node.value else {
                return Ok(0);
            };
            let mut count = 0;
            for item in items.iter_mut() {
                if item_matches(item, field, wanted) {
                    count += assign(item, rest, value, options, create)?;
                }
            }
            Ok(count)
        }
        Segment::Any => {
            let mut count = 0;
            match &mut node.value {
                Value::Seq(items) => {
                    for item in items {
                        count += assign(item, rest, value, options, create)?;
                    }
                }
                Value::Map(entries) => {
                    for entry in entries {
                        count += assign(&mut entry.value, rest, value, options, create)?;
                    }
                }
                _ => {}
            }
            Ok(count)
        }
        Segment::Index(i) => match &mut node.value {
            Value::Seq(items) => match items.get_mut(*i) {
                Some(item) => assign(item, rest, value, options, create),
                None => Ok(0),
            },
            _ => Ok(0),
        },
    }
}

/// `[field=value]` selects the mappings whose field has the value; `[=value]`
/// the scalar items equal to it.
fn item_matches(item: &Node, field: &str, wanted: &str) -> bool {
    if field.is_empty() {
        return !matches!(item.value, Value::Map(_) | Value::Seq(_)) && scalar_text(item) == wanted;
    }
    item.get(field).map(scalar_text).as_deref() == Some(wanted)
}

fn scalar_text(node: &Node) -> String {
    match &node.value {
        Value::Str(s) => s.to_string(),
        Value::Null => String::new(),
        _ => node.display_scalar(),
    }
}

/// `options`: `delimiter` and `index` (and `create` on targets).
#[derive(Debug, Default)]
struct Options {
    delimiter: Option<String>,
    index: i64,
    create: bool,
}

impl Options {
    fn parse(node: Option<&Node>) -> Options {
        let Some(node) = node else {
            return Options::default();
        };
        Options {
            delimiter: node
                .get("delimiter")
                .and_then(Node::as_str)
                .filter(|d| !d.is_empty())
                .map(str::to_string),
            index: node.get("index").and_then(Node::as_i64).unwrap_or(0),
            create: node.get("create").and_then(Node::as_bool) == Some(true),
        }
    }
}

/// Writes a replacement value into a target field (with a delimiter, into one
/// part of it).
fn set_value(target: &mut Node, value: &Node, options: &Options) -> Result<(), String> {
    let Some(delimiter) = &options.delimiter else {
        *target = value.clone();
        return Ok(());
    };
    let Value::Str(current) = &target.value else {
        return Err("the delimiter option needs a scalar target".to_string());
    };
    let mut parts: Vec<String> = current
        .split(delimiter.as_str())
        .map(str::to_string)
        .collect();
    let part = scalar_text(value);
    match usize::try_from(options.index) {
        Err(_) => parts.insert(0, part),
        Ok(i) if i >= parts.len() => parts.push(part),
        Ok(i) => parts[i] = part,
    }
    target.value = Value::Str(parts.join(delimiter).into());
    target.span = value.span;
    Ok(())
}

/// Whether an object has the id a source selector names (exact values; empty
/// fields match anything), by its current or original name.
fn selected_by(object: &Object, selector: &Node) -> bool {
    let field = |key: &str| {
        selector
            .get(key)
            .and_then(Node::as_str)
            .filter(|s| !s.is_empty())
    };
    let scoped = cluster_scoped(object);
    let names: Vec<(String, Option<String>)> = std::iter::once(object.current_name())
        .chain(object.previous.iter().cloned())
        .map(|n| (n.name, n.namespace))
        .collect();
    field("group").is_none_or(|g| g == object.group())
        && field("version").is_none_or(|v| v == object.version())
        && field("kind").is_none_or(|k| k == object.kind())
        && names.iter().any(|(name, namespace)| {
            field("name").is_none_or(|n| n == name)
                && field("namespace")
                    .is_none_or(|ns| ns == effective_namespace(namespace.as_deref(), scoped))
        })
}

/// Runs replacements (inline ones, and those read from `path` files), in
/// order.
pub fn run(replacements: &[Node], objects: &mut [Object]) -> Result<(), BuildError> {
    for replacement in replacements {
        apply(replacement, objects)?;
    }
    Ok(())
}

fn apply(replacement: &Node, objects: &mut [Object]) -> Result<(), BuildError> {
    let at = Some(replacement.span);
    let source = replacement
        .get("source")
        .ok_or_else(|| BuildError::new("a replacement needs a source", at))?;
    let targets = replacement
        .get("targets")
        .ok_or_else(|| BuildError::new("a replacement needs targets", at))?;
    let matching: Vec<&Object> = objects.iter().filter(|o| selected_by(o, source)).collect();
    let object = match matching.as_slice() {
        [one] => *one,
        [] => {
            return Err(BuildError::new(
                "nothing is selected by the replacement source",
                Some(source.span),
            ));
        }
        _ => {
            return Err(BuildError::new(
                "several objects are selected by the replacement source",
                Some(source.span),
            ));
        }
    };
    let path = source
        .get("fieldPath")
        .and_then(Node::as_str)
        .unwrap_or("metadata.name");
    let found = lookup(&object.body, &parse_path(path));
    let Some(value) = found.first() else {
        return Err(BuildError::new(
            format!("fieldPath {path:?} is missing in the replacement source"),
            Some(source.span),
        ));
    };
    let mut value = (*value).clone();
    let source_options = Options::parse(source.get("options"));
    if let Some(delimiter) = &source_options.delimiter {
        let text = scalar_text(&value);
        let parts: Vec<&str> = text.split(delimiter.as_str()).collect();
        let part = usize::try_from(source_options.index)
            .ok()
            .and_then(|i| parts.get(i))
            .ok_or_else(|| {
                BuildError::new(
                    "options.index is out of bounds for the source value",
                    Some(source.span),
                )
            })?;
        value.value = Value::Str((*part).into());
    }
    for target in targets.items() {
        let select = target.get("select").ok_or_else(|| {
            BuildError::new("a replacement target needs `select`", Some(target.span))
        })?;
        let select = Target::parse(select)?;
        let rejects = target
            .get("reject")
            .map_or(&[][..], Node::items)
            .iter()
            .map(Target::parse)
            .collect::<Result<Vec<_>, _>>()?;
        let options = Options::parse(target.get("options"));
        let paths: Vec<String> = match target.get("fieldPaths") {
            Some(list) => list
                .items()
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_string)
                .collect(),
            None => vec!["metadata.name".to_string()],
        };
        for object in objects.iter_mut() {
            let scoped = cluster_scoped(object);
            if !select.matches(object, scoped) || rejects.iter().any(|r| r.matches(object, scoped))
            {
                continue;
            }
            for path in &paths {
                let set = assign(
                    &mut object.body,
                    &parse_path(path),
                    &value,
                    &options,
                    options.create,
                )
                .map_err(|e| BuildError::new(e, Some(target.span)))?;
                if set == 0 {
                    return Err(BuildError::new(
                        format!("unable to find field {path:?} in replacement target"),
                        Some(target.span),
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_field_paths() {
        assert_eq!(
            parse_path("spec.template.spec.containers.[name=app].env.[name=A.B].value"),
            vec![
                Segment::Key("spec".into()),
                Segment::Key("template".into()),
                Segment::Key("spec".into()),
                Segment::Key("containers".into()),
                Segment::Match("name".into(), "app".into()),
                Segment::Key("env".into()),
                Segment::Match("name".into(), "A.B".into()),
                Segment::Key("value".into()),
            ]
        );
        assert_eq!(
            parse_path("a.*.0"),
            vec![Segment::Key("a".into()), Segment::Any, Segment::Index(0)]
        );
    }
}
