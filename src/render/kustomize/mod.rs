//! Kustomize, in process: builds a kustomization like `kubectl kustomize`, and
//! every field of the result keeps the span of the file that last set it (the
//! base manifest, the patch, or the kustomization line of a transformer).
//!
//! Nothing is fetched and nothing is executed: remote resources, plugins and
//! KRM functions are reported, not run.

mod build;
mod configurations;
mod files;
pub mod generators;
mod kustomization;
pub mod merge;
mod replacements;
mod select;
pub mod transformers;
mod vars;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use compact_str::CompactString;

use crate::diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel};
use crate::load::LoadOptions;
use crate::model::{Origin, Resource};
use crate::source::yaml::{Key, Limits, Node};
use crate::source::{SourceMap, Span};

pub use build::Builder;
pub use files::{Workspace, repository_root};
pub use kustomization::FILE_NAMES;

/// What building the kustomizations of a scan produced.
#[derive(Debug, Default)]
pub struct Built {
    /// Every kustomization directory the builds reached, canonical.
    pub visited: BTreeSet<PathBuf>,
    /// The objects of every kustomization that is not used by another one,
    /// each marked with its kustomization's directory.
    pub resources: Vec<Resource>,
    /// Files read by successful builds (canonical): not scanned again.
    pub consumed: BTreeSet<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds every kustomization that no other one of the scan uses (those are
/// built through the kustomizations that use them).
pub fn build_roots(
    roots: &[PathBuf],
    scanned: &[PathBuf],
    sources: &mut SourceMap,
    options: &LoadOptions,
) -> Built {
    let mut built = Built::default();
    let referenced: BTreeSet<PathBuf> = roots
        .iter()
        .flat_map(|root| referenced_directories(root))
        .collect();
    for root in roots {
        let canonical = root.canonicalize().unwrap_or_else(|_| root.clone());
        if !referenced.contains(&canonical) {
            build_one(root, scanned, sources, options, &mut built);
        }
    }
    // Kustomizations that only use each other (a cycle) are reached by no
    // build: build them alone, so the problem is reported, not skipped.
    for root in roots {
        let canonical = root.canonicalize().unwrap_or_else(|_| root.clone());
        if !built.visited.contains(&canonical) {
            build_one(root, scanned, sources, options, &mut built);
        }
    }
    built
}

/// Builds one kustomization; on failure, a diagnostic says why and none of its
/// files count as consumed. `scanned` are the paths a scan was given, which
/// bound the build outside a git repository (see [`repository_root`]).
pub fn build_one(
    root: &Path,
    scanned: &[PathBuf],
    sources: &mut SourceMap,
    options: &LoadOptions,
    built: &mut Built,
) {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut workspace = Workspace::new(
        sources,
        repository_root(root, scanned),
        options.max_file_size,
        options.limits,
    );
    let display = workspace.display(&canonical);
    let mut builder = Builder::new(&mut workspace);
    let result = builder.build(root);
    let diagnostics = std::mem::take(&mut builder.diagnostics);
    built.visited.extend(std::mem::take(&mut builder.visited));
    match result {
        Ok(objects) => {
            built.resources.extend(
                objects
                    .into_iter()
                    .filter_map(|o| Resource::built(o.body, o.origin, display.clone())),
            );
            built
                .consumed
                .extend(std::mem::take(&mut workspace.consumed));
        }
        Err(error) => {
            let (path, position) = match error.span {
                Some(span) => (
                    workspace.sources.get(span.file).display.clone(),
                    Some(span.start),
                ),
                None => (display.clone(), None),
            };
            let mut diagnostic = Diagnostic::new(
                DiagnosticLevel::Error,
                DiagnosticCode::KustomizeBuild,
                path,
                format!(
                    "the kustomization {display} cannot be built: {}; its files are scanned as plain manifests",
                    error.message
                ),
            );
            diagnostic.position = position;
            built.diagnostics.push(diagnostic);
        }
    }
    built.diagnostics.extend(diagnostics);
}

/// The directories a kustomization lists as resources, bases or components.
fn referenced_directories(root: &Path) -> Vec<PathBuf> {
    let Some(file) = kustomization::find_file(root) else {
        return Vec::new();
    };
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Vec::new();
    };
    let loaded = crate::source::yaml::load(crate::source::FileId(0), "", &text, Limits::default());
    let Some(document) = loaded.documents.into_iter().next() else {
        return Vec::new();
    };
    ["resources", "bases", "components"]
        .iter()
        .flat_map(|field| {
            document
                .root
                .get(field)
                .map_or(&[][..], Node::items)
                .to_vec()
        })
        .filter_map(|item| item.as_str().map(|s| root.join(s)))
        .filter(|path| path.is_dir())
        .filter_map(|path| path.canonicalize().ok())
        .collect()
}

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
    /// The `namePrefix` values applied to it, innermost kustomization first;
    /// references between objects of different bases are told apart by them.
    pub name_prefixes: Vec<String>,
    /// The `nameSuffix` values applied to it, innermost kustomization first.
    pub name_suffixes: Vec<String>,
    /// The legacy `vars` whose values are read from this object.
    pub var_names: Vec<String>,
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
            name_prefixes: Vec::new(),
            name_suffixes: Vec::new(),
            var_names: Vec::new(),
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
