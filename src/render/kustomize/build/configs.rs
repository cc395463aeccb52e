//! The `transformers:` field: configurations of kustomize's built-in
//! transformers (`apiVersion: builtin`), run in-process after the
//! kustomization's own transformers, as kustomize runs them. Anything else
//! there is a plugin (an executable, a KRM function, a container): it comes
//! from the repository under review, so it is never run, and a diagnostic
//! says the build may differ.
//!
//! A configuration is turned into the kustomization fields that do the same
//! work, with the configuration's own nodes, so findings on what it set point
//! into the configuration file.

use crate::diagnostic::DiagnosticCode;
use crate::source::yaml::{Key, Node, Value};
use crate::source::{FileId, Span};

use super::super::kustomization::{Kustomization, is_remote};
use super::super::transformers::{self, NamespaceOptions, RoleBindingSubjects};
use super::super::{BuildError, Object};
use super::Builder;

/// A configuration and the file its nodes stand in.
struct Config {
    root: Node,
    file: FileId,
}

impl Builder<'_, '_> {
    /// Runs the configurations listed under `transformers:`, in order.
    pub(super) fn configured_transformers(
        &mut self,
        k: &Kustomization,
        objects: &mut Vec<Object>,
    ) -> Result<(), BuildError> {
        for (entry, span) in k.strings("transformers")? {
            for config in self.configs(k, &entry, span)? {
                self.run_config(k, config, objects)?;
            }
        }
        Ok(())
    }

    /// The configurations of one entry: inline YAML, a file in the
    /// kustomization's directory, or a kustomization directory whose output
    /// is the configurations.
    fn configs(
        &mut self,
        k: &Kustomization,
        entry: &str,
        span: Span,
    ) -> Result<Vec<Config>, BuildError> {
        if entry.contains('\n') {
            let item = k
                .get("transformers")
                .and_then(|list| list.items().iter().find(|i| i.span == span))
                .cloned()
                .unwrap_or_else(|| Node::string(entry, span));
            let documents = self.inline_documents(k, &item)?;
            return Ok(documents
                .into_iter()
                .map(|d| Config {
                    root: d.root,
                    file: k.file,
                })
                .collect());
        }
        if is_remote(entry) {
            self.warn(
                span,
                DiagnosticCode::RemoteNotFetched,
                format!("remote transformer configuration {entry:?} not fetched"),
            );
            return Ok(Vec::new());
        }
        let target = k.dir.join(entry);
        let canonical = self.workspace.resolve(&target, Some(span))?;
        if canonical.is_dir() {
            let built = self.accumulate(&target, Vec::new(), false, Some(span))?;
            return Ok(built
                .into_iter()
                .map(|o| Config {
                    file: o.origin.file,
                    root: o.body,
                })
                .collect());
        }
        let documents = self.file_documents(k, entry, span)?;
        let file = self.workspace.sources.find(&canonical).unwrap_or(k.file);
        Ok(documents
            .into_iter()
            .filter(|d| !d.root.is_null())
            .map(|d| Config { root: d.root, file })
            .collect())
    }

    fn run_config(
        &mut self,
        k: &Kustomization,
        config: Config,
        objects: &mut Vec<Object>,
    ) -> Result<(), BuildError> {
        let root = &config.root;
        let api_version = root.get("apiVersion").and_then(Node::as_str).unwrap_or("");
        let kind = root.get("kind").and_then(Node::as_str).unwrap_or("");
        if api_version != "builtin" {
            self.warn(
                root.span,
                DiagnosticCode::KustomizeUnsupported,
                format!(
                    "transformer plugin {kind:?} ({api_version}) is not run: Vigie never runs programs from the repository; the build may differ from kustomize's"
                ),
            );
            return Ok(());
        }
        let span = root.span;
        let field = |name: &str| root.get(name).filter(|n| !n.is_null());
        // Fields of a kustomization that do the configuration's work.
        let fields: Vec<(&str, Node)> = match kind {
            "PatchTransformer" => vec![("patches", seq(vec![root.clone()], span))],
            "PatchStrategicMergeTransformer" => {
                let mut items: Vec<Node> = field("paths")
                    .map(|p| p.items().to_vec())
                    .unwrap_or_default();
                items.extend(field("patches").cloned());
                vec![("patchesStrategicMerge", seq(items, span))]
            }
            "PatchJson6902Transformer" => {
                let mut entry = root.clone();
                if let Some(op) = entry.remove("jsonOp") {
                    entry.insert(
                        Key {
                            text: "patch".into(),
                            span: op.key.span,
                        },
                        op.value,
                    );
                }
                vec![("patchesJson6902", seq(vec![entry], span))]
            }
            "ReplacementTransformer" => field("replacements")
                .map(|r| vec![("replacements", r.clone())])
                .unwrap_or_default(),
            "ImageTagTransformer" => field("imageTag")
                .map(|i| vec![("images", seq(vec![i.clone()], i.span))])
                .unwrap_or_default(),
            "ReplicaCountTransformer" => field("replica")
                .map(|r| vec![("replicas", seq(vec![r.clone()], r.span))])
                .unwrap_or_default(),
            "LabelTransformer" | "AnnotationsTransformer" => {
                let pairs_field = if kind == "LabelTransformer" {
                    "labels"
                } else {
                    "annotations"
                };
                if let Some(pairs) = field(pairs_field) {
                    transformers::apply_pairs_at(objects, pairs, field("fieldSpecs"), pairs_field)?;
                }
                return Ok(());
            }
            "NamespaceTransformer" => {
                let Some(namespace) = root
                    .get_path(&["metadata", "namespace"])
                    .filter(|n| !n.is_null())
                else {
                    return Ok(());
                };
                let subjects = match field("setRoleBindingSubjects").and_then(Node::as_str) {
                    None | Some("defaultOnly") => RoleBindingSubjects::DefaultOnly,
                    Some("allServiceAccounts") => RoleBindingSubjects::AllServiceAccounts,
                    Some("none") => RoleBindingSubjects::None,
                    Some(other) => {
                        return Err(BuildError::new(
                            format!("unknown setRoleBindingSubjects {other:?}"),
                            field("setRoleBindingSubjects").map(|n| n.span),
                        ));
                    }
                };
                let options = NamespaceOptions {
                    unset_only: field("unsetOnly").and_then(Node::as_bool) == Some(true),
                    subjects,
                    ..NamespaceOptions::default()
                };
                let name = namespace.as_str().ok_or_else(|| {
                    BuildError::new("metadata.namespace must be a string", Some(namespace.span))
                })?;
                return transformers::set_namespace_with(objects, name, namespace.span, options);
            }
            "PrefixSuffixTransformer" | "PrefixTransformer" | "SuffixTransformer" => {
                if let Some(prefix) = field("prefix") {
                    transformers::add_name_prefix(objects, prefix)?;
                }
                if let Some(suffix) = field("suffix") {
                    transformers::add_name_suffix(objects, suffix)?;
                }
                return Ok(());
            }
            other => {
                self.warn(
                    span,
                    DiagnosticCode::KustomizeUnsupported,
                    format!("built-in transformer {other:?} is not supported by Vigie: not applied; the build may differ from kustomize's"),
                );
                return Ok(());
            }
        };
        let mut synthetic = Node::mapping(span);
        for (name, value) in fields {
            synthetic.insert(
                Key {
                    text: name.into(),
                    span,
                },
                value,
            );
        }
        let synthetic = Kustomization {
            dir: k.dir.clone(),
            file: config.file,
            root: synthetic,
            is_component: false,
        };
        self.strategic_merge_patches(&synthetic, objects)?;
        self.patches(&synthetic, objects)?;
        self.json6902_patches(&synthetic, objects)?;
        transformers::apply_replica_and_image_fields(objects, &synthetic.root)?;
        self.replacements(&synthetic, objects)
    }
}

fn seq(items: Vec<Node>, span: Span) -> Node {
    Node {
        value: Value::Seq(items),
        span,
    }
}
