//! Helpers the unit tests of the transformers share: kustomization nodes and
//! objects from YAML text.

use crate::model::Origin;
use crate::render::kustomize::Object;
use crate::source::yaml::{Limits, Node, load};
use crate::source::{FileId, Position, Span};

/// The file id the helpers give kustomization text.
const KUSTOMIZATION_FILE: FileId = FileId(1000);

/// The first document of a kustomization text.
pub(super) fn parse(text: &str) -> Node {
    let loaded = load(
        KUSTOMIZATION_FILE,
        "kustomization.yaml",
        text,
        Limits::default(),
    );
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded
        .documents
        .into_iter()
        .next()
        .map(|d| d.root)
        .expect("a document")
}

/// The objects of a manifest text.
pub(super) fn objects_from(text: &str) -> Vec<Object> {
    objects_in(FileId(0), "resources.yaml", text)
}

/// A string written in a kustomization.
pub(super) fn scalar_node(text: &str) -> Node {
    Node::string(
        text,
        Span::new(
            KUSTOMIZATION_FILE,
            Position::new(3, 12),
            Position::new(3, 16),
        ),
    )
}

/// The objects of a manifest text read from `file`.
pub(super) fn objects_in(file: FileId, display: &str, text: &str) -> Vec<Object> {
    let loaded = load(file, display, text, Limits::default());
    assert!(
        loaded.diagnostics.is_empty(),
        "{display}: {:?}",
        loaded.diagnostics
    );
    loaded
        .documents
        .into_iter()
        .filter(|d| !d.root.is_null())
        .map(|d| {
            let origin = Origin {
                file,
                document: d.index,
                item: None,
            };
            Object::new(d.root, origin)
        })
        .collect()
}
