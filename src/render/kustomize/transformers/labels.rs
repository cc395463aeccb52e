//! Labels and annotations: `labels:`, `commonLabels:` and
//! `commonAnnotations:`.
//!
//! `commonLabels` (deprecated, still common) labels metadata, pod and job
//! templates, StatefulSet volume claim templates, and the selectors that must
//! keep matching them (Service, workload and PodDisruptionBudget selectors,
//! affinity terms, NetworkPolicy pod selectors). A `labels:` entry labels
//! metadata only, unless it says `includeSelectors` (as `commonLabels`) or
//! `includeTemplates` (templates too); its `fields` add field specs of its own.

use compact_str::CompactString;

use super::fieldspecs::{
    self, COMMON_ANNOTATIONS, FieldSpec, Leaf, METADATA_LABELS, common_labels, merge_one,
};
use super::{BuildError, Object, describe, flag, list, text};
use crate::source::Span;
use crate::source::yaml::{Key, Node, Value};

/// Applies a kustomization's `labels:` field (its value node): each entry in
/// order.
pub fn apply_labels(objects: &mut [Object], labels: &Node) -> Result<(), BuildError> {
    apply_labels_extra(objects, labels, &[])
}

/// [`apply_labels`], with more selector fields for `includeSelectors`.
pub fn apply_labels_extra(
    objects: &mut [Object],
    labels: &Node,
    extra: &[FieldSpec<'_>],
) -> Result<(), BuildError> {
    for entry in list(labels, "labels")? {
        if entry.is_null() {
            continue;
        }
        if entry.as_map().is_none() {
            return Err(BuildError::new(
                "a `labels` entry must be a mapping",
                Some(entry.span),
            ));
        }
        let Some(pairs) = entry.get("pairs") else {
            continue;
        };
        let pairs = pairs_of(pairs, "labels.pairs")?;
        let include_selectors = flag(entry.get("includeSelectors"), "includeSelectors")?;
        let include_templates = flag(entry.get("includeTemplates"), "includeTemplates")?;
        let mut specs = match entry.get("fields") {
            Some(fields) => field_specs(fields)?,
            None => Vec::new(),
        };
        let conflict = |message: String| BuildError::new(message, Some(entry.span));
        if include_selectors {
            for spec in common_labels().into_iter().chain(extra.iter().copied()) {
                merge_one(&mut specs, spec).map_err(conflict)?;
            }
        } else {
            if include_templates {
                for spec in METADATA_LABELS {
                    merge_one(&mut specs, *spec).map_err(conflict)?;
                }
            }
            merge_one(&mut specs, METADATA_LABELS[0]).map_err(conflict)?;
        }
        set_pairs(objects, &pairs, &specs, "labels")?;
    }
    Ok(())
}

/// Applies a kustomization's `commonLabels:` field (its value node).
pub fn apply_common_labels(objects: &mut [Object], labels: &Node) -> Result<(), BuildError> {
    apply_common_labels_extra(objects, labels, &[])
}

/// [`apply_common_labels`], with more label fields.
pub fn apply_common_labels_extra(
    objects: &mut [Object],
    labels: &Node,
    extra: &[FieldSpec<'_>],
) -> Result<(), BuildError> {
    let pairs = pairs_of(labels, "commonLabels")?;
    let mut specs = common_labels();
    for spec in extra {
        merge_one(&mut specs, *spec)
            .map_err(|message| BuildError::new(message, Some(labels.span)))?;
    }
    set_pairs(objects, &pairs, &specs, "commonLabels")
}

/// Applies a kustomization's `commonAnnotations:` field (its value node).
pub fn apply_common_annotations(
    objects: &mut [Object],
    annotations: &Node,
) -> Result<(), BuildError> {
    let pairs = pairs_of(annotations, "commonAnnotations")?;
    set_pairs(objects, &pairs, COMMON_ANNOTATIONS, "commonAnnotations")
}

/// Applies a LabelTransformer or AnnotationsTransformer configuration (a
/// `transformers:` entry): its `pairs` at exactly its `fieldSpecs`.
pub fn apply_pairs_at(
    objects: &mut [Object],
    pairs: &Node,
    specs: Option<&Node>,
    field: &str,
) -> Result<(), BuildError> {
    let pairs = pairs_of(pairs, field)?;
    let specs = match specs {
        Some(specs) => field_specs(specs)?,
        None => Vec::new(),
    };
    set_pairs(objects, &pairs, &specs, field)
}

/// One `key: value` to set, with where each was written.
struct Pair<'a> {
    key: &'a Key,
    value: &'a str,
    value_span: Span,
}

/// The pairs of a string map, sorted by key (kustomize's order).
fn pairs_of<'a>(node: &'a Node, field: &str) -> Result<Vec<Pair<'a>>, BuildError> {
    let entries = match &node.value {
        Value::Map(entries) => entries.as_slice(),
        Value::Null => &[],
        _ => {
            return Err(BuildError::new(
                format!("`{field}` must be a mapping"),
                Some(node.span),
            ));
        }
    };
    let mut pairs = entries
        .iter()
        .map(|entry| {
            Ok(Pair {
                key: &entry.key,
                value: text(&entry.value, field)?,
                value_span: entry.value.span,
            })
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    pairs.sort_by(|a, b| a.key.text.cmp(&b.key.text));
    Ok(pairs)
}

/// The `fields` of a `labels:` entry.
fn field_specs(fields: &Node) -> Result<Vec<FieldSpec<'_>>, BuildError> {
    let mut specs = Vec::new();
    for item in list(fields, "fields")? {
        if item.as_map().is_none() {
            return Err(BuildError::new(
                "a field spec must be a mapping",
                Some(item.span),
            ));
        }
        let field = |name: &str| match item.get(name) {
            Some(node) => text(node, name),
            None => Ok(""),
        };
        specs.push(FieldSpec {
            group: field("group")?,
            version: field("version")?,
            kind: field("kind")?,
            path: field("path")?,
            create: flag(item.get("create"), "create")?,
        });
    }
    Ok(specs)
}

/// Sets every pair at every field the specs select.
fn set_pairs(
    objects: &mut [Object],
    pairs: &[Pair],
    specs: &[FieldSpec],
    field: &str,
) -> Result<(), BuildError> {
    if pairs.is_empty() {
        return Ok(());
    }
    for object in objects.iter_mut() {
        let api_version = object.api_version().to_string();
        let kind = object.kind().to_string();
        for pair in pairs {
            let span = pair.key.span.to(pair.value_span);
            let mut set = |node: &mut Node| set_pair(node, pair);
            for spec in specs.iter().filter(|s| s.selects(&api_version, &kind)) {
                fieldspecs::walk(&mut object.body, spec, Some(Leaf::Mapping), span, &mut set)
                    .map_err(|message| {
                        BuildError::new(
                            format!("{field}: {}: {message}", describe(object)),
                            Some(span),
                        )
                    })?;
            }
        }
    }
    Ok(())
}

fn set_pair(node: &mut Node, pair: &Pair) -> Result<(), String> {
    match node.value {
        Value::Map(_) => {
            node.insert(
                Key {
                    text: CompactString::from(pair.key.text.as_str()),
                    span: pair.key.span,
                },
                Node::string(pair.value, pair.value_span),
            );
            Ok(())
        }
        // A null selector that is not created stays null, as in kustomize.
        Value::Null => Ok(()),
        _ => Err("not a mapping".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{objects_from, parse};
    use super::*;

    const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
";

    fn labels_at<'a>(object: &'a Object, path: &[&str]) -> Vec<&'a str> {
        object
            .body
            .get_path(path)
            .and_then(Node::as_map)
            .map(|entries| entries.iter().map(|e| e.key.text.as_str()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn common_labels_reach_selectors_and_templates() {
        let mut objects = objects_from(DEPLOYMENT);
        let kustomization = parse("commonLabels:\n  team: a\n");
        apply_common_labels(&mut objects, kustomization.get("commonLabels").unwrap()).unwrap();
        let d = &objects[0];
        assert_eq!(labels_at(d, &["metadata", "labels"]), ["team"]);
        assert_eq!(
            labels_at(d, &["spec", "selector", "matchLabels"]),
            ["app", "team"]
        );
        assert_eq!(
            labels_at(d, &["spec", "template", "metadata", "labels"]),
            ["app", "team"]
        );
        // The label value points at the kustomization.
        let value = d.body.get_path(&["metadata", "labels", "team"]).unwrap();
        assert_eq!(
            value.span,
            kustomization
                .get_path(&["commonLabels", "team"])
                .unwrap()
                .span
        );
    }

    #[test]
    fn labels_entries_choose_their_fields() {
        let mut objects = objects_from(DEPLOYMENT);
        let kustomization = parse(
            "labels:\n- pairs: {plain: p1}\n- pairs: {tmpl: t1}\n  includeTemplates: true\n- pairs: {sel: s1}\n  includeSelectors: true\n- pairs: {custom: c1}\n  fields:\n  - path: spec/template/metadata/annotations\n    kind: Deployment\n    create: true\n",
        );
        apply_labels(&mut objects, kustomization.get("labels").unwrap()).unwrap();
        let d = &objects[0];
        assert_eq!(
            labels_at(d, &["metadata", "labels"]),
            ["plain", "tmpl", "sel", "custom"]
        );
        assert_eq!(
            labels_at(d, &["spec", "selector", "matchLabels"]),
            ["app", "sel"]
        );
        assert_eq!(
            labels_at(d, &["spec", "template", "metadata", "labels"]),
            ["app", "tmpl", "sel"]
        );
        assert_eq!(
            labels_at(d, &["spec", "template", "metadata", "annotations"]),
            ["custom"]
        );
    }

    #[test]
    fn annotations_reach_templates_not_selectors() {
        let mut objects = objects_from(DEPLOYMENT);
        let kustomization = parse("commonAnnotations:\n  owner: ops\n");
        apply_common_annotations(
            &mut objects,
            kustomization.get("commonAnnotations").unwrap(),
        )
        .unwrap();
        let d = &objects[0];
        assert_eq!(labels_at(d, &["metadata", "annotations"]), ["owner"]);
        assert_eq!(
            labels_at(d, &["spec", "template", "metadata", "annotations"]),
            ["owner"]
        );
        assert_eq!(labels_at(d, &["spec", "selector", "matchLabels"]), ["app"]);
    }

    #[test]
    fn label_values_must_be_strings() {
        let mut objects = objects_from(DEPLOYMENT);
        let kustomization = parse("commonLabels:\n  version: 1\n");
        let error = apply_common_labels(&mut objects, kustomization.get("commonLabels").unwrap())
            .unwrap_err();
        assert_eq!(error.span.map(|s| s.start.line), Some(2));
        // A null value is the empty string.
        let kustomization = parse("commonLabels:\n  empty:\n");
        apply_common_labels(&mut objects, kustomization.get("commonLabels").unwrap()).unwrap();
        let value = objects[0]
            .body
            .get_path(&["metadata", "labels", "empty"])
            .unwrap();
        assert_eq!(value.as_str(), Some(""));
    }

    #[test]
    fn conflicting_fields_are_an_error() {
        let mut objects = objects_from(DEPLOYMENT);
        let kustomization = parse(
            "labels:\n- pairs: {a: b}\n  fields:\n  - path: metadata/labels\n    create: false\n",
        );
        assert!(apply_labels(&mut objects, kustomization.get("labels").unwrap()).is_err());
    }
}
