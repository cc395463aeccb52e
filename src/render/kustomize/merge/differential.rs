//! Differential tests against `kubectl kustomize` (kustomize v5.5.0).
//!
//! Each directory of `testdata/kustomize/merge/` holds a kustomization with
//! resources and patches, and `expected.yaml`, the output of `kubectl
//! kustomize` on it. The kustomization engine is not used here: the test
//! reads the few fields it needs (`resources`, `patches[].path`,
//! `patches[].target.kind/name`), applies the patches with this module's
//! functions the way kustomize's patch transformer calls them, and compares
//! the objects with the expected ones (mappings regardless of key order,
//! since kustomize prints keys sorted; lists in order).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;
use crate::source::FileId;
use crate::source::yaml::{Limits, load};

/// Loads every document of a file.
fn documents(path: &Path, file: &mut u32) -> Vec<Node> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    *file += 1;
    let loaded = load(
        FileId(*file),
        &path.display().to_string(),
        &text,
        Limits::default(),
    );
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.documents.into_iter().map(|d| d.root).collect()
}

fn text<'a>(node: &'a Node, path: &[&str]) -> &'a str {
    node.get_path(path).and_then(Node::as_str).unwrap_or("")
}

/// What kustomize prints: JSON values, spans and key order left out.
fn json(node: &Node) -> serde_json::Value {
    use serde_json::Value as Json;
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.to_string()),
        Value::Seq(items) => Json::Array(items.iter().map(json).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|e| (e.key.text.to_string(), json(&e.value)))
                .collect(),
        ),
    }
}

/// The objects of a list, by kind, namespace and name.
fn by_identity(objects: &[Node]) -> BTreeMap<String, serde_json::Value> {
    objects
        .iter()
        .map(|object| {
            let identity = format!(
                "{} {}/{}",
                text(object, &["kind"]),
                text(object, &["metadata", "namespace"]),
                text(object, &["metadata", "name"])
            );
            (identity, json(object))
        })
        .collect()
}

fn group_of(object: &Node) -> String {
    text(object, &["apiVersion"])
        .rsplit_once('/')
        .map_or("", |(group, _)| group)
        .to_string()
}

/// Applies a strategic merge patch as kustomize's patch transformer does:
/// the patch takes the target's `apiVersion`, and the target keeps its
/// kind, name and namespace.
fn apply_strategic_merge(object: &mut Node, patch: &Node) -> MergeOutcome {
    let mut patch = patch.clone();
    if let Some(api_version) = object.get("apiVersion").cloned() {
        patch.insert(
            Key {
                text: "apiVersion".into(),
                span: api_version.span,
            },
            api_version,
        );
    }
    let kept: Vec<(&str, Option<Node>)> = ["name", "namespace"]
        .into_iter()
        .map(|field| (field, object.get_path(&["metadata", field]).cloned()))
        .collect();
    let kind = text(object, &["kind"]).to_string();
    let outcome = strategic_merge(object, &patch, &group_of(object), &kind)
        .unwrap_or_else(|e| panic!("merge failed: {e:?}"));
    if let Some(metadata) = object.get_mut("metadata") {
        for (field, value) in kept {
            match value {
                Some(value) => metadata.insert(
                    Key {
                        text: field.into(),
                        span: value.span,
                    },
                    value,
                ),
                None => {
                    metadata.remove(field);
                }
            }
        }
    }
    outcome
}

fn selects(target: Option<&Node>, object: &Node, patch: &Node) -> bool {
    match target {
        Some(target) => ["kind", "name"].iter().all(|field| {
            let wanted = text(target, &[field]);
            let actual = match *field {
                "kind" => text(object, &["kind"]),
                _ => text(object, &["metadata", "name"]),
            };
            wanted.is_empty() || wanted == actual
        }),
        None => {
            text(object, &["kind"]) == text(patch, &["kind"])
                && text(object, &["metadata", "name"]) == text(patch, &["metadata", "name"])
        }
    }
}

/// Builds one case's kustomization with this module's patch functions.
fn build(dir: &Path) -> Vec<Node> {
    let mut file = 0;
    let kustomization = documents(&dir.join("kustomization.yaml"), &mut file)
        .pop()
        .expect("a kustomization");
    let mut objects: Vec<Option<Node>> = Vec::new();
    for resource in kustomization.get("resources").map_or(&[][..], Node::items) {
        let path = dir.join(resource.as_str().expect("a resource path"));
        objects.extend(documents(&path, &mut file).into_iter().map(Some));
    }
    for entry in kustomization.get("patches").map_or(&[][..], Node::items) {
        let path = dir.join(text(entry, &["path"]));
        let target = entry.get("target");
        for patch in documents(&path, &mut file) {
            for slot in &mut objects {
                let Some(object) = slot else { continue };
                if !selects(target, object, &patch) {
                    continue;
                }
                if patch.as_seq().is_some() {
                    json6902(object, &patch).unwrap_or_else(|e| panic!("{e:?}"));
                } else if apply_strategic_merge(object, &patch) == MergeOutcome::Deleted {
                    *slot = None;
                }
            }
        }
    }
    objects.into_iter().flatten().collect()
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/kustomize/merge");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("testdata/kustomize/merge")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.join("kustomization.yaml").is_file())
        .collect();
    cases.sort();
    cases
}

#[test]
fn patches_match_kubectl_kustomize() {
    let cases = cases();
    assert!(cases.len() >= 8, "only {} cases", cases.len());
    for dir in cases {
        let mut file = 1000;
        let expected = documents(&dir.join("expected.yaml"), &mut file);
        let actual = build(&dir);
        assert_eq!(
            by_identity(&actual),
            by_identity(&expected),
            "case {}",
            dir.display()
        );
    }
}
