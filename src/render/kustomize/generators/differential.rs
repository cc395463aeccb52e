//! Differential tests against `kubectl kustomize` (kustomize v5.5.0).
//!
//! Each directory of `testdata/kustomize/generators/` holds a kustomization and
//! the `expected.yaml` that `kubectl kustomize <dir>` printed for it. The full
//! engine lives elsewhere, so this builds just enough of a kustomization to
//! exercise the generators: `resources` (files and base directories, without
//! transformers), then the `configMapGenerator` and `secretGenerator` entries
//! absorbed with their behaviors, then the hash suffixes, once, at the top.

use std::path::{Path, PathBuf};

use super::*;
use crate::source::yaml::{Limits, load};

/// The files read for one case; a file's index is its [`FileId`].
#[derive(Default)]
struct Files {
    paths: Vec<PathBuf>,
}

impl Files {
    fn id(&mut self, path: &Path) -> FileId {
        let index = match self.paths.iter().position(|p| p == path) {
            Some(index) => index,
            None => {
                self.paths.push(path.to_path_buf());
                self.paths.len() - 1
            }
        };
        FileId(u32::try_from(index).expect("few files"))
    }

    fn load(&mut self, path: &Path) -> (FileId, Vec<Node>) {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = self.id(path);
        let loaded = load(file, &path.display().to_string(), &text, Limits::default());
        assert!(
            loaded.diagnostics.is_empty(),
            "{}: {:?}",
            path.display(),
            loaded.diagnostics
        );
        let roots = loaded.documents.into_iter().map(|d| d.root).collect();
        (file, roots)
    }
}

fn origin(file: FileId) -> Origin {
    Origin {
        file,
        document: 0,
        item: None,
    }
}

/// The objects of a kustomization directory, before hash suffixes.
fn build(files: &mut Files, dir: &Path) -> Result<Vec<Object>, BuildError> {
    let (file, roots) = files.load(&dir.join("kustomization.yaml"));
    let root = roots.into_iter().next().expect("a kustomization document");
    let mut objects = Vec::new();
    for resource in root.get("resources").map_or(&[][..], Node::items) {
        let path = dir.join(resource.as_str().expect("a resource path"));
        if path.is_dir() {
            objects.extend(build(files, &path)?);
        } else {
            let (file, documents) = files.load(&path);
            objects.extend(documents.into_iter().map(|d| Object::new(d, origin(file))));
        }
    }
    let options = root.get("generatorOptions");
    for kind in [GeneratorKind::ConfigMap, GeneratorKind::Secret] {
        for entry in root.get(kind.field()).map_or(&[][..], Node::items) {
            let mut read = |path: &str| -> Result<(FileId, Vec<u8>), BuildError> {
                let path = dir.join(path);
                let bytes = std::fs::read(&path)
                    .map_err(|e| BuildError::new(format!("{}: {e}", path.display()), None))?;
                Ok((files.id(&path), bytes))
            };
            let generated = generate(kind, entry, options, &mut read, origin(file))?;
            absorb(&mut objects, generated)?;
        }
    }
    Ok(objects)
}

/// A node without its spans.
fn plain(node: &Node) -> serde_json::Value {
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) => serde_json::Value::from(*i),
        Value::Float(f) => serde_json::Value::from(*f),
        Value::Str(s) => serde_json::Value::String(s.to_string()),
        Value::Seq(items) => items.iter().map(plain).collect(),
        Value::Map(entries) => entries
            .iter()
            .map(|e| (e.key.text.to_string(), plain(&e.value)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

fn identity(object: &serde_json::Value) -> String {
    format!("{}/{}", object["kind"], object["metadata"]["name"])
}

/// Every node of a generated object points at a line of a file of the case.
fn assert_spans(node: &Node, files: &Files) {
    let known = (node.span.file.0 as usize) < files.paths.len();
    assert!(known && node.span.start.line >= 1, "{node:?}");
    match &node.value {
        Value::Map(entries) => entries.iter().for_each(|e| {
            assert!(e.key.span.start.line >= 1, "{e:?}");
            assert_spans(&e.value, files);
        }),
        Value::Seq(items) => items.iter().for_each(|item| assert_spans(item, files)),
        _ => {}
    }
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/kustomize/generators");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("testdata/kustomize/generators")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.join("expected.yaml").is_file())
        .collect();
    cases.sort();
    cases
}

#[test]
fn generated_objects_match_kubectl_kustomize() {
    let cases = cases();
    assert!(cases.len() >= 10, "{cases:?}");
    for case in cases {
        let mut files = Files::default();
        let mut objects =
            build(&mut files, &case).unwrap_or_else(|e| panic!("{}: {e:?}", case.display()));
        for object in &mut objects {
            add_hash_suffix(object).unwrap_or_else(|e| panic!("{}: {e:?}", case.display()));
            assert_spans(&object.body, &files);
        }
        let mut actual: Vec<serde_json::Value> = objects.iter().map(|o| plain(&o.body)).collect();
        let (_, documents) = files.load(&case.join("expected.yaml"));
        let mut expected: Vec<serde_json::Value> = documents.iter().map(plain).collect();
        actual.sort_by_key(identity);
        expected.sort_by_key(identity);
        let names =
            |objects: &[serde_json::Value]| objects.iter().map(identity).collect::<Vec<_>>();
        assert_eq!(names(&actual), names(&expected), "{}", case.display());
        for (actual, expected) in actual.iter().zip(&expected) {
            assert_eq!(
                actual,
                expected,
                "{}: {}",
                case.display(),
                identity(expected)
            );
        }
    }
}
