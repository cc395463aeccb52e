//! `replicas:`: replica counts of Deployments, ReplicaSets,
//! ReplicationControllers and StatefulSets, by name.
//!
//! An entry matches objects by their current name or any name they had
//! earlier in the build (so a base's name still works under a prefix); an
//! entry that matches nothing is an error, as in kustomize.

use super::fieldspecs::{self, Leaf, REPLICAS};
use super::{BuildError, Object, describe, list, text};
use crate::source::yaml::{Node, Value};

/// Applies a kustomization's `replicas:` field (its value node): each entry
/// in order.
pub fn apply_replicas(objects: &mut [Object], replicas: &Node) -> Result<(), BuildError> {
    for item in list(replicas, "replicas")? {
        if item.as_map().is_none() {
            return Err(BuildError::new(
                "a `replicas` entry must be a mapping",
                Some(item.span),
            ));
        }
        let name = match item.get("name") {
            Some(node) => text(node, "name")?,
            None => "",
        };
        // The count (0 when absent) is written where it was given.
        let (count, span) = match item.get("count") {
            None => (0, item.span),
            Some(node) => match node.value {
                Value::Int(count) => (count, node.span),
                Value::Null => (0, node.span),
                _ => {
                    return Err(BuildError::new(
                        "`count` must be an integer",
                        Some(node.span),
                    ));
                }
            },
        };
        let mut found = false;
        for spec in REPLICAS {
            for object in objects.iter_mut() {
                let named = object.name() == name || object.previous.iter().any(|p| p.name == name);
                if !named || !spec.selects(object.api_version(), object.kind()) {
                    continue;
                }
                found = true;
                fieldspecs::walk(
                    &mut object.body,
                    spec,
                    Some(Leaf::Scalar),
                    span,
                    &mut |node| {
                        *node = Node {
                            value: Value::Int(count),
                            span,
                        };
                        Ok(())
                    },
                )
                .map_err(|message| {
                    BuildError::new(
                        format!("replicas: {}: {message}", describe(object)),
                        Some(span),
                    )
                })?;
            }
        }
        if !found {
            return Err(BuildError::new(
                format!(
                    "replicas: no Deployment, ReplicationController, ReplicaSet or StatefulSet is named {name:?}"
                ),
                Some(item.span),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::names::add_name_prefix;
    use super::super::test_support::{objects_from, parse, scalar_node};
    use super::*;

    #[test]
    fn sets_counts_by_current_or_previous_name() {
        let mut objects = objects_from(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 1}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n",
        );
        add_name_prefix(&mut objects, &scalar_node("p-")).unwrap();
        let kustomization = parse("replicas:\n- name: web\n  count: 3\n- name: p-db\n  count: 2\n");
        apply_replicas(&mut objects, kustomization.get("replicas").unwrap()).unwrap();
        let count = |i: usize| {
            objects[i]
                .body
                .get_path(&["spec", "replicas"])
                .map(|n| n.value.clone())
        };
        assert_eq!(count(0), Some(Value::Int(3)));
        assert_eq!(count(1), Some(Value::Int(2)));
        assert_eq!(count(2), None);
        let span = kustomization.get("replicas").unwrap().items()[0]
            .get("count")
            .unwrap()
            .span;
        assert_eq!(
            objects[0]
                .body
                .get_path(&["spec", "replicas"])
                .unwrap()
                .span,
            span
        );
    }

    #[test]
    fn unmatched_entry_is_an_error() {
        let mut objects = objects_from("apiVersion: v1\nkind: Service\nmetadata: {name: web}\n");
        let kustomization = parse("replicas:\n- name: web\n  count: 3\n");
        assert!(apply_replicas(&mut objects, kustomization.get("replicas").unwrap()).is_err());
    }
}
