//! Substituting legacy `vars`: `$(NAME)` in the fields kustomize lists (container
//! commands, args, env values, mount paths, a few Ingress and Service fields,
//! labels and annotations) becomes the variable's value.
//!
//! The syntax is Kubernetes' own: `$$` writes a `$`, `$(NAME)` of an unknown
//! variable stays as written, and a field that is exactly `$(NAME)` takes the
//! value with its type (a port stays a number).

use std::collections::{BTreeMap, BTreeSet};

use super::fieldspecs::{self, FieldSpec, VAR_REFERENCE};
use super::{BuildError, Object, describe};
use crate::source::yaml::{Node, Value};

/// Replaces variables in every object; returns the names that were used.
pub fn substitute_vars(
    objects: &mut [Object],
    values: &BTreeMap<String, Value>,
    extra: &[FieldSpec<'_>],
) -> Result<BTreeSet<String>, BuildError> {
    let mut used = BTreeSet::new();
    if values.is_empty() {
        return Ok(used);
    }
    for object in objects.iter_mut() {
        let api_version = object.api_version().to_string();
        let kind = object.kind().to_string();
        let span = object.body.span;
        for spec in VAR_REFERENCE
            .iter()
            .chain(extra)
            .filter(|s| s.selects(&api_version, &kind))
        {
            let mut set = |node: &mut Node| substitute_node(node, values, &mut used);
            fieldspecs::walk(&mut object.body, spec, None, span, &mut set).map_err(|message| {
                BuildError::new(format!("vars: {}: {message}", describe(object)), None)
            })?;
        }
    }
    Ok(used)
}

/// Substitutes in a string field, in the string values of a mapping, or in
/// the items of a list (which must be strings).
fn substitute_node(
    node: &mut Node,
    values: &BTreeMap<String, Value>,
    used: &mut BTreeSet<String>,
) -> Result<(), String> {
    match &mut node.value {
        Value::Str(_) => substitute_scalar(node, values, used),
        Value::Map(entries) => {
            for entry in entries.iter_mut() {
                if matches!(entry.value.value, Value::Str(_)) {
                    substitute_scalar(&mut entry.value, values, used);
                }
            }
        }
        Value::Seq(items) => {
            for item in items.iter_mut() {
                if !matches!(item.value, Value::Str(_)) {
                    return Err("a list holds something other than strings".to_string());
                }
                substitute_scalar(item, values, used);
            }
        }
        _ => {}
    }
    Ok(())
}

fn substitute_scalar(
    node: &mut Node,
    values: &BTreeMap<String, Value>,
    used: &mut BTreeSet<String>,
) {
    let Value::Str(text) = &node.value else {
        return;
    };
    if let Some(value) = expand(text, values, used) {
        node.value = value;
    }
}

/// The text with its variables replaced, or `None` when nothing changes.
fn expand(
    text: &str,
    values: &BTreeMap<String, Value>,
    used: &mut BTreeSet<String>,
) -> Option<Value> {
    if !text.contains('$') {
        return None;
    }
    // A field that is exactly one reference takes the value as it is.
    if let Some(name) = text.strip_prefix("$(").and_then(|t| t.strip_suffix(')'))
        && !name.contains(')')
        && let Some(value) = values.get(name)
    {
        used.insert(name.to_string());
        return Some(value.clone());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if after.is_empty() {
            out.push('$');
            rest = after;
            break;
        }
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(') {
            match inner.find(')') {
                Some(close) => {
                    let name = &inner[..close];
                    match values.get(name) {
                        Some(value) => {
                            used.insert(name.to_string());
                            out.push_str(&display(value));
                        }
                        None => {
                            out.push_str("$(");
                            out.push_str(name);
                            out.push(')');
                        }
                    }
                    rest = &inner[close + 1..];
                }
                None => {
                    out.push_str("$(");
                    rest = inner;
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    (out != text).then(|| Value::Str(out.into()))
}

/// A value as Go's `%v` prints it.
fn display(value: &Value) -> String {
    match value {
        Value::Str(s) => s.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::objects_from;
    use super::*;

    fn values(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn expands_like_kubernetes() {
        let v = values(&[("A", Value::Str("svc".into())), ("P", Value::Int(80))]);
        let mut used = BTreeSet::new();
        let e = |t: &str, used: &mut BTreeSet<String>| expand(t, &v, used);
        assert_eq!(
            e("http://$(A):$(P)/", &mut used),
            Some(Value::Str("http://svc:80/".into()))
        );
        assert_eq!(e("$(P)", &mut used), Some(Value::Int(80)));
        assert_eq!(
            e("$$(A) $(B) $", &mut used),
            Some(Value::Str("$(A) $(B) $".into()))
        );
        assert_eq!(e("$(B)", &mut used), None);
        assert_eq!(e("x $(A", &mut used), None);
        assert_eq!(used.into_iter().collect::<Vec<_>>(), ["A", "P"]);
    }

    #[test]
    fn substitutes_only_in_var_reference_fields() {
        let mut objects = objects_from(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    a: $(A)\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: app\n        image: $(A)\n        args: [\"--host=$(A)\"]\n        env:\n        - name: X\n          value: $(A)\n",
        );
        let used = substitute_vars(
            &mut objects,
            &values(&[("A", Value::Str("svc".into()))]),
            &[],
        )
        .unwrap();
        assert_eq!(used.len(), 1);
        let body = &objects[0].body;
        assert_eq!(
            body.get_path(&["metadata", "annotations", "a"])
                .unwrap()
                .as_str(),
            Some("svc")
        );
        let container = &body
            .get_path(&["spec", "template", "spec", "containers"])
            .unwrap()
            .items()[0];
        assert_eq!(container.get("image").unwrap().as_str(), Some("$(A)"));
        assert_eq!(
            container.get("args").unwrap().items()[0].as_str(),
            Some("--host=svc")
        );
        assert_eq!(
            container.get("env").unwrap().items()[0]
                .get("value")
                .unwrap()
                .as_str(),
            Some("svc")
        );
    }
}
