//! Differential tests against `kubectl kustomize` (kustomize v5.5.0): each
//! directory of `testdata/kustomize/transformers/` holds a kustomization of
//! plain resource files (or directories of such kustomizations) and the
//! `expected.yaml` that `kubectl kustomize <dir>` printed for it. The
//! resources are loaded here, the transformers run in kustomize's order, and
//! the objects are compared with the expected ones as values (spans and key
//! order ignored).

use std::fs;
use std::path::Path;

use super::test_support::{objects_in, parse};
use super::{apply_name_and_label_fields, apply_replica_and_image_fields, fix_name_references};
use crate::render::kustomize::Object;
use crate::source::FileId;
use crate::source::yaml::{Node, Value};

/// A spanned node as a plain JSON value (maps sorted by key).
fn plain(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Str(s) => J::String(s.to_string()),
        Value::Seq(items) => J::Array(items.iter().map(plain).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|e| (e.key.text.to_string(), plain(&e.value)))
                .collect(),
        ),
    }
}

/// Objects as sorted, pretty JSON texts, to compare as multisets.
fn as_texts(nodes: impl Iterator<Item = serde_json::Value>) -> Vec<String> {
    let mut texts: Vec<String> = nodes
        .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
        .collect();
    texts.sort();
    texts
}

/// Builds one kustomization the way kustomize orders the work, for plain
/// resource files and directories of other such kustomizations (no patches,
/// no generators): the objects of each level, then its transformers.
fn build_level(dir: &Path, next_file: &mut u32) -> Vec<Object> {
    let read = |path: &Path| {
        fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let kustomization = parse(&read(&dir.join("kustomization.yaml")));
    let mut objects = Vec::new();
    for resource in kustomization
        .get("resources")
        .map(Node::items)
        .unwrap_or(&[])
    {
        let path = dir.join(resource.as_str().expect("a resource path"));
        if path.is_dir() {
            objects.extend(build_level(&path, next_file));
        } else {
            *next_file += 1;
            let display = path.display().to_string();
            objects.extend(objects_in(FileId(*next_file), &display, &read(&path)));
        }
    }
    apply_name_and_label_fields(&mut objects, &kustomization)
        .unwrap_or_else(|e| panic!("{}: {e:?}", dir.display()));
    apply_replica_and_image_fields(&mut objects, &kustomization)
        .unwrap_or_else(|e| panic!("{}: {e:?}", dir.display()));
    objects
}

/// Builds one case; returns the objects' texts and the expected texts.
fn run_case(dir: &Path) -> (Vec<String>, Vec<String>) {
    let mut objects = build_level(dir, &mut 0);
    fix_name_references(&mut objects).unwrap_or_else(|e| panic!("{}: {e:?}", dir.display()));
    let expected_path = dir.join("expected.yaml");
    let expected_text = fs::read_to_string(&expected_path)
        .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
    let expected = objects_in(FileId(999), "expected.yaml", &expected_text);
    (
        as_texts(objects.iter().map(|o| plain(&o.body))),
        as_texts(expected.iter().map(|o| plain(&o.body))),
    )
}

#[test]
fn transformers_match_kubectl_kustomize() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/kustomize/transformers");
    let mut cases: Vec<_> = fs::read_dir(&root)
        .expect("testdata/kustomize/transformers")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("kustomization.yaml").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 12, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let (actual, expected) = run_case(case);
        if actual != expected {
            let missing: Vec<_> = expected.iter().filter(|e| !actual.contains(e)).collect();
            let unexpected: Vec<_> = actual.iter().filter(|a| !expected.contains(a)).collect();
            failures.push(format!(
                "{}:\n--- expected, not built:\n{}\n--- built, not expected:\n{}",
                case.display(),
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
                unexpected
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn transformed_fields_point_at_the_kustomization() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/kustomize/transformers/kitchen-sink");
    let text = fs::read_to_string(dir.join("kustomization.yaml")).expect("kustomization");
    let kustomization = parse(&text);
    let deployment = fs::read_to_string(dir.join("deployment.yaml")).expect("deployment");
    let mut objects = objects_in(FileId(0), "deployment.yaml", &deployment);
    apply_name_and_label_fields(&mut objects, &kustomization).expect("transformers");
    apply_replica_and_image_fields(&mut objects, &kustomization).expect("transformers");
    let web = &objects[0];
    let line_of = |path: &[&str]| {
        web.body
            .get_path(path)
            .map(|n| (n.span.file, n.span.start.line))
    };
    let kustomization_line = |path: &[&str]| {
        kustomization
            .get_path(path)
            .map(|n| (n.span.file, n.span.start.line))
    };
    assert_eq!(
        line_of(&["metadata", "namespace"]),
        kustomization_line(&["namespace"])
    );
    assert_eq!(
        line_of(&["metadata", "name"]),
        kustomization_line(&["nameSuffix"])
    );
    // Untouched fields keep their place in the resource file.
    assert_eq!(line_of(&["kind"]).map(|(file, _)| file), Some(FileId(0)));
}
