//! Which objects a patch or a replacement applies to: kustomize's `target`
//! selectors (anchored regular expressions on group, version, kind, name and
//! namespace, plus label and annotation selectors) and object ids.

use regex::Regex;

use super::{BuildError, Object};
use crate::model::{Labels, Selector};
use crate::source::yaml::Node;

/// The namespace kustomize compares: `default` for a namespaced object
/// without one.
pub fn effective_namespace(namespace: Option<&str>, cluster_scoped: bool) -> &str {
    match namespace {
        _ if cluster_scoped => "",
        Some(ns) if !ns.is_empty() => ns,
        _ => "default",
    }
}

/// A `target:` of a patch or a `select:` of a replacement.
#[derive(Debug)]
pub struct Target {
    group: Option<Regex>,
    version: Option<Regex>,
    kind: Option<Regex>,
    name: Option<Regex>,
    namespace: Option<Regex>,
    labels: Option<String>,
    annotations: Option<String>,
}

fn anchored(node: &Node, field: &str) -> Result<Option<Regex>, BuildError> {
    let Some(value) = node.get(field).filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let Some(text) = value.as_str() else {
        return Err(BuildError::new(
            format!("{field} must be a string"),
            Some(value.span),
        ));
    };
    if text.is_empty() {
        return Ok(None);
    }
    Regex::new(&format!("^(?:{text})$")).map(Some).map_err(|e| {
        BuildError::new(
            format!("invalid {field} pattern {text:?}: {e}"),
            Some(value.span),
        )
    })
}

impl Target {
    pub fn parse(node: &Node) -> Result<Target, BuildError> {
        if node.as_map().is_none() {
            return Err(BuildError::new(
                "a target must be a mapping",
                Some(node.span),
            ));
        }
        let text = |field: &str| {
            node.get(field)
                .and_then(Node::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        for field in ["labelSelector", "annotationSelector"] {
            if let Some(selector) = node.get(field).and_then(Node::as_str) {
                Selector::parse(selector)
                    .map_err(|e| BuildError::new(e, node.get(field).map(|n| n.span)))?;
            }
        }
        Ok(Target {
            group: anchored(node, "group")?,
            version: anchored(node, "version")?,
            kind: anchored(node, "kind")?,
            name: anchored(node, "name")?,
            namespace: anchored(node, "namespace")?,
            labels: text("labelSelector"),
            annotations: text("annotationSelector"),
        })
    }

    /// Whether the target selects an object: by its original or its current
    /// name and namespace, as kustomize does.
    pub fn matches(&self, object: &Object, cluster_scoped: bool) -> bool {
        let is =
            |regex: &Option<Regex>, value: &str| regex.as_ref().is_none_or(|r| r.is_match(value));
        let original = object
            .previous
            .first()
            .cloned()
            .unwrap_or_else(|| object.current_name());
        let namespaces = [
            effective_namespace(original.namespace.as_deref(), cluster_scoped),
            effective_namespace(object.namespace(), cluster_scoped),
        ];
        if !namespaces.iter().any(|ns| is(&self.namespace, ns)) {
            return false;
        }
        if !(is(&self.name, &original.name) || is(&self.name, object.name())) {
            return false;
        }
        if !(is(&self.group, object.group())
            && is(&self.version, object.version())
            && is(&self.kind, object.kind()))
        {
            return false;
        }
        let metadata = object.body.get("metadata");
        let matches = |selector: &Option<String>, field: &str| {
            let Some(text) = selector else { return true };
            let values = Labels::of(metadata.and_then(|m| m.get(field)));
            Selector::parse(text).is_ok_and(|s| s.matches(&values))
        };
        matches(&self.labels, "labels") && matches(&self.annotations, "annotations")
    }
}
