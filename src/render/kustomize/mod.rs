//! Kustomize, in process: builds a kustomization like `kubectl kustomize`, and
//! every field of the result keeps the span of the file that last set it (the
//! base manifest, the patch, or the kustomization line of a transformer).
//!
//! Nothing is fetched and nothing is executed: remote resources, plugins and
//! KRM functions are reported, not run.

pub mod generators;
pub mod merge;
pub mod transformers;

use compact_str::CompactString;

use crate::model::Origin;
use crate::source::Span;
use crate::source::yaml::{Key, Node};

/// A Kubernetes object while a kustomization is built.
#[derive(Clone, Debug)]
pub struct Object {
    /// The whole object; transformers and patches change it in place.
    pub body: Node,
    /// Where it was read, or the kustomization that generated it.
    pub origin: Origin,
    /// The names and namespaces it had before this build renamed or moved it,
    /// oldest first, so that references to them can be updated.
    pub previous: Vec<ObjectName>,
    /// A generated ConfigMap or Secret whose name gets a content-hash suffix
    /// at the end of the build.
    pub needs_hash: bool,
}

/// A name and namespace an object had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectName {
    pub name: String,
    pub namespace: Option<String>,
}

impl Object {
    pub fn new(body: Node, origin: Origin) -> Self {
        Object {
            body,
            origin,
            previous: Vec::new(),
            needs_hash: false,
        }
    }

    fn text(&self, path: &[&str]) -> &str {
        self.body
            .get_path(path)
            .and_then(Node::as_str)
            .unwrap_or("")
    }

    pub fn api_version(&self) -> &str {
        self.text(&["apiVersion"])
    }

    pub fn kind(&self) -> &str {
        self.text(&["kind"])
    }

    /// The API group (`""` for the core group).
    pub fn group(&self) -> &str {
        self.api_version()
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    /// The API version without the group (`v1`).
    pub fn version(&self) -> &str {
        let api_version = self.api_version();
        api_version
            .rsplit_once('/')
            .map_or(api_version, |(_, version)| version)
    }

    pub fn name(&self) -> &str {
        self.text(&["metadata", "name"])
    }

    /// `metadata.namespace`, when set and not empty.
    pub fn namespace(&self) -> Option<&str> {
        Some(self.text(&["metadata", "namespace"])).filter(|ns| !ns.is_empty())
    }

    /// The current name and namespace.
    pub fn current_name(&self) -> ObjectName {
        ObjectName {
            name: self.name().to_string(),
            namespace: self.namespace().map(str::to_string),
        }
    }

    /// Sets `metadata.<field>` to a string written at `span` (the
    /// kustomization line responsible for it).
    pub fn set_metadata(&mut self, field: &str, value: &str, span: Span) {
        if let Some(metadata) = self.body.mapping_at("metadata", span) {
            metadata.insert(
                Key {
                    text: CompactString::from(field),
                    span,
                },
                Node::string(value, span),
            );
        }
    }

    /// Renames the object, remembering its previous name for references.
    pub fn rename(&mut self, name: &str, span: Span) {
        let previous = self.current_name();
        if previous.name != name {
            self.previous.push(previous);
            self.set_metadata("name", name, span);
        }
    }
}

/// An error while building, with the place that caused it when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    pub message: String,
    pub span: Option<Span>,
}

impl BuildError {
    pub fn new(message: impl Into<String>, span: Option<Span>) -> Self {
        BuildError {
            message: message.into(),
            span,
        }
    }
}
