//! The namespace transformer (`namespace:`).
//!
//! Every namespaced object gets `metadata.namespace` (replacing the one it
//! had); cluster-scoped kinds keep theirs. A `v1` Namespace object is renamed
//! to the namespace, an APIService's `spec.service.namespace` and a CRD's
//! conversion webhook service namespace follow. In (Cluster)RoleBindings only
//! the subjects named `default` get the namespace here (kustomize's
//! `defaultOnly` mode); subjects that name a ServiceAccount of the build are
//! moved with it later, by [`fix_name_references`](super::fix_name_references).

use std::collections::HashMap;

use compact_str::CompactString;

use super::fieldspecs::{self, FieldSpec, Leaf, NAMESPACE, is_cluster_scoped};
use super::{BuildError, Object, describe, is_empty, text};
use crate::source::Span;
use crate::source::yaml::{Key, Node, Value};

/// Which (Cluster)RoleBinding subjects get the namespace.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RoleBindingSubjects {
    /// Subjects named `default`, whatever their kind (what `namespace:` does).
    #[default]
    DefaultOnly,
    /// Every subject of kind ServiceAccount.
    AllServiceAccounts,
    /// None.
    None,
}

/// Options of the NamespaceTransformer; the `namespace:` field uses the
/// defaults.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NamespaceOptions<'a> {
    /// Only set namespace fields that are missing or empty.
    pub unset_only: bool,
    pub subjects: RoleBindingSubjects,
    /// More namespace fields (from the build's `configurations`).
    pub extra: &'a [FieldSpec<'a>],
}

/// Applies a kustomization's `namespace:` field (its value node).
pub fn set_namespace(objects: &mut [Object], namespace: &Node) -> Result<(), BuildError> {
    set_namespace_extra(objects, namespace, &[])
}

/// [`set_namespace`], with more namespace fields.
pub fn set_namespace_extra(
    objects: &mut [Object],
    namespace: &Node,
    extra: &[FieldSpec<'_>],
) -> Result<(), BuildError> {
    let name = text(namespace, "namespace")?;
    let options = NamespaceOptions {
        extra,
        ..NamespaceOptions::default()
    };
    set_namespace_with(objects, name, namespace.span, options)
}

/// Sets `namespace` (written at `span`) on the objects.
pub fn set_namespace_with(
    objects: &mut [Object],
    namespace: &str,
    span: Span,
    options: NamespaceOptions<'_>,
) -> Result<(), BuildError> {
    if namespace.is_empty() {
        return Ok(());
    }
    let fail = |object: &Object, message: String| {
        BuildError::new(
            format!("namespace: {}: {message}", describe(object)),
            Some(span),
        )
    };
    for object in objects.iter_mut() {
        if is_empty(object) {
            continue;
        }
        // kustomize records every object's identity here, moved or not, so
        // that references to it (RoleBinding subjects) can follow it.
        let previous = object.current_name();
        object.previous.push(previous);
        let api_version = object.api_version().to_string();
        let kind = object.kind().to_string();
        let mut set = |node: &mut Node| {
            set_scalar(node, namespace, span, options.unset_only);
            Ok(())
        };
        if !is_cluster_scoped(&api_version, &kind) {
            let spec = FieldSpec {
                group: "",
                version: "",
                kind: "",
                path: "metadata/namespace",
                create: true,
            };
            fieldspecs::walk(&mut object.body, &spec, Some(Leaf::Scalar), span, &mut set)
                .map_err(|message| fail(object, message))?;
        }
        if kind == "RoleBinding" || kind == "ClusterRoleBinding" {
            set_subjects(&mut object.body, namespace, span, options)
                .map_err(|message| fail(object, message))?;
        }
        for spec in NAMESPACE.iter().chain(options.extra) {
            // The Namespace rename is for core Namespaces only.
            if spec.path == "metadata/name" && api_version != "v1" {
                continue;
            }
            if !spec.selects(&api_version, &kind) {
                continue;
            }
            fieldspecs::walk(&mut object.body, spec, Some(Leaf::Scalar), span, &mut set)
                .map_err(|message| fail(object, message))?;
        }
    }
    check_unique_ids(objects, span)
}

/// Sets a namespace (or name) scalar.
fn set_scalar(node: &mut Node, namespace: &str, span: Span, unset_only: bool) {
    let is_set = match &node.value {
        Value::Null => false,
        Value::Str(s) => !s.is_empty(),
        _ => true,
    };
    if unset_only && is_set {
        return;
    }
    *node = Node::string(namespace, span);
}

/// Sets the namespace of the subjects of a (Cluster)RoleBinding that the
/// mode selects.
fn set_subjects(
    body: &mut Node,
    namespace: &str,
    span: Span,
    options: NamespaceOptions,
) -> Result<(), String> {
    if options.subjects == RoleBindingSubjects::None {
        return Ok(());
    }
    let Some(subjects) = body.get_mut("subjects") else {
        return Ok(());
    };
    let items = match &mut subjects.value {
        Value::Null => return Ok(()),
        Value::Seq(items) => items,
        _ => return Err("`subjects` is not a list".to_string()),
    };
    for subject in items {
        let selected = match options.subjects {
            RoleBindingSubjects::DefaultOnly => {
                subject.get("name").and_then(Node::as_str) == Some("default")
            }
            RoleBindingSubjects::AllServiceAccounts => {
                subject.get("kind").and_then(Node::as_str) == Some("ServiceAccount")
            }
            RoleBindingSubjects::None => false,
        };
        if !selected {
            continue;
        }
        match subject.get_mut("namespace") {
            Some(existing) => set_scalar(existing, namespace, span, options.unset_only),
            None => subject.insert(
                Key {
                    text: CompactString::const_new("namespace"),
                    span,
                },
                Node::string(namespace, span),
            ),
        }
    }
    Ok(())
}

/// kustomize refuses a namespace that makes two objects the same.
fn check_unique_ids(objects: &[Object], span: Span) -> Result<(), BuildError> {
    let mut seen: HashMap<(&str, &str, &str, &str), usize> = HashMap::new();
    for (index, object) in objects.iter().enumerate() {
        if is_empty(object) {
            continue;
        }
        let namespace = if is_cluster_scoped(object.api_version(), object.kind()) {
            ""
        } else {
            object.namespace().unwrap_or("default")
        };
        let id = (
            object.api_version(),
            object.kind(),
            object.name(),
            namespace,
        );
        if let Some(&first) = seen.get(&id) {
            return Err(BuildError::new(
                format!(
                    "namespace: {} and {} become the same object",
                    describe(&objects[first]),
                    describe(object)
                ),
                Some(span),
            ));
        }
        seen.insert(id, index);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{objects_from, scalar_node};
    use super::*;

    const INPUT: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  namespace: old
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
---
apiVersion: v1
kind: Namespace
metadata:
  name: old
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
subjects:
- kind: ServiceAccount
  name: default
- kind: ServiceAccount
  name: app
- kind: User
  name: jane
";

    #[test]
    fn sets_namespaced_objects_and_renames_namespaces() {
        let mut objects = objects_from(INPUT);
        let value = scalar_node("prod");
        set_namespace(&mut objects, &value).unwrap();
        assert_eq!(objects[0].namespace(), Some("prod"));
        assert_eq!(
            objects[0]
                .body
                .get_path(&["metadata", "namespace"])
                .unwrap()
                .span,
            value.span
        );
        assert_eq!(objects[1].namespace(), None);
        assert_eq!(objects[2].name(), "prod");
        assert_eq!(objects[3].namespace(), Some("prod"));
        let subjects = objects[3].body.get("subjects").unwrap().items();
        assert_eq!(subjects[0].get("namespace").unwrap().as_str(), Some("prod"));
        assert!(subjects[1].get("namespace").is_none());
        // Identities before the move are kept for references.
        assert_eq!(objects[0].previous[0].namespace.as_deref(), Some("old"));
        assert_eq!(objects[1].previous.len(), 1);
    }

    #[test]
    fn unset_only_and_all_service_accounts() {
        let mut objects = objects_from(INPUT);
        let value = scalar_node("prod");
        let options = NamespaceOptions {
            unset_only: true,
            subjects: RoleBindingSubjects::AllServiceAccounts,
            extra: &[],
        };
        set_namespace_with(&mut objects, "prod", value.span, options).unwrap();
        assert_eq!(objects[0].namespace(), Some("old"));
        assert_eq!(objects[3].namespace(), Some("prod"));
        let subjects = objects[3].body.get("subjects").unwrap().items();
        assert_eq!(subjects[1].get("namespace").unwrap().as_str(), Some("prod"));
        assert!(subjects[2].get("namespace").is_none());
    }

    #[test]
    fn refuses_identity_conflicts() {
        let mut objects = objects_from(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
        );
        assert!(set_namespace(&mut objects, &scalar_node("prod")).is_err());
    }

    #[test]
    fn rejects_a_non_string_namespace() {
        let mut objects = objects_from(INPUT);
        let mut value = scalar_node("x");
        value.value = Value::Int(12);
        assert!(set_namespace(&mut objects, &value).is_err());
    }
}
