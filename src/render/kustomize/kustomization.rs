//! The kustomization file: found in a directory, read strictly (an unknown
//! field is an error, as in kustomize), with its legacy fields.

use std::path::{Path, PathBuf};

use crate::source::yaml::{Node, Value};
use crate::source::{FileId, Span};

use super::BuildError;
use super::files::Workspace;

/// Names a kustomization file may have, in the order kustomize looks for them.
pub const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Fields of a kustomization (kustomize v5).
const FIELDS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "openapi",
    "namePrefix",
    "nameSuffix",
    "namespace",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "patchesStrategicMerge",
    "patchesJson6902",
    "patches",
    "images",
    "imageTags",
    "replacements",
    "replicas",
    "vars",
    "sortOptions",
    "resources",
    "components",
    "crds",
    "bases",
    "configMapGenerator",
    "secretGenerator",
    "helmGlobals",
    "helmCharts",
    "helmChartInflationGenerator",
    "generatorOptions",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "buildMetadata",
];

/// A loaded kustomization file.
#[derive(Debug)]
pub struct Kustomization {
    /// The directory it configures (canonical).
    pub dir: PathBuf,
    pub file: FileId,
    pub root: Node,
    /// `kind: Component`.
    pub is_component: bool,
}

/// The kustomization file of a directory.
pub fn find_file(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
}

impl Kustomization {
    /// Reads the kustomization of `dir`.
    pub fn load(
        workspace: &mut Workspace<'_>,
        dir: &Path,
        at: Option<Span>,
    ) -> Result<Kustomization, BuildError> {
        let found: Vec<PathBuf> = FILE_NAMES
            .iter()
            .map(|n| dir.join(n))
            .filter(|p| p.is_file())
            .collect();
        let path = match found.as_slice() {
            [] => {
                return Err(BuildError::new(
                    format!("{} has no kustomization.yaml", workspace.display(dir)),
                    at,
                ));
            }
            [one] => one.clone(),
            _ => {
                return Err(BuildError::new(
                    format!("{} has several kustomization files", workspace.display(dir)),
                    at,
                ));
            }
        };
        let file = workspace.read(&path, at)?;
        let root = workspace
            .documents(file)?
            .into_iter()
            .next()
            .map(|d| d.root)
            .ok_or_else(|| BuildError::new(format!("{} is empty", workspace.display(&path)), at))?;
        let Value::Map(entries) = &root.value else {
            return Err(BuildError::new(
                format!("{} is not a mapping", workspace.display(&path)),
                Some(root.span),
            ));
        };
        if let Some(unknown) = entries
            .iter()
            .find(|e| !FIELDS.contains(&e.key.text.as_str()))
        {
            return Err(BuildError::new(
                format!(
                    "invalid kustomization: unknown field {:?}",
                    unknown.key.text
                ),
                Some(unknown.key.span),
            ));
        }
        let kind = root
            .get("kind")
            .and_then(Node::as_str)
            .unwrap_or("Kustomization");
        let is_component = match kind {
            "Kustomization" => false,
            "Component" => true,
            other => {
                return Err(BuildError::new(
                    format!("invalid kustomization: unknown kind {other:?}"),
                    root.entry("kind").map(|e| e.span()),
                ));
            }
        };
        Ok(Kustomization {
            dir: workspace.resolve(dir, at)?,
            file,
            root,
            is_component,
        })
    }

    pub fn get(&self, field: &str) -> Option<&Node> {
        self.root.get(field).filter(|n| !n.is_null())
    }

    /// A list of strings (resources, components, crds, …), each with its span.
    pub fn strings(&self, field: &str) -> Result<Vec<(String, Span)>, BuildError> {
        let Some(node) = self.get(field) else {
            return Ok(Vec::new());
        };
        let items = node
            .as_seq()
            .ok_or_else(|| BuildError::new(format!("{field} must be a list"), Some(node.span)))?;
        items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(|s| (s.to_string(), item.span))
                    .ok_or_else(|| {
                        BuildError::new(format!("{field} must list strings"), Some(item.span))
                    })
            })
            .collect()
    }

    /// The span of a field's key, for errors about the whole field.
    pub fn field_span(&self, field: &str) -> Option<Span> {
        self.root.entry(field).map(|e| e.key.span)
    }
}

/// Whether a resource path is remote (a URL or a git repository), which Vigie
/// never fetches.
pub fn is_remote(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [
        "http://",
        "https://",
        "git@",
        "ssh://",
        "git::",
        "github.com/",
        "gitlab.com/",
        "bitbucket.org/",
    ]
    .iter()
    .any(|prefix| lower.starts_with(prefix))
        || lower.contains("?ref=")
        || lower.contains(".git//")
}
