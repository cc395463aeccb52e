//! The built-in transformers a kustomization configures with its own fields:
//! `namespace`, `namePrefix`, `nameSuffix`, `labels`, `commonLabels`,
//! `commonAnnotations`, `replicas` and `images`, and the fixing of name
//! references once objects have been renamed. Semantics follow kustomize
//! v5.5.0 (what `kubectl kustomize` runs).
//!
//! Every value a transformer writes carries the span of the kustomization
//! entry responsible for it (the `namespace:` value, the label value, the
//! `images:` item, the `count:` of a `replicas:` item), so that a finding on
//! a transformed field points at the line to change. Fields a transformer
//! has to create on the way (`metadata`, `labels`) carry the same span.
//!
//! # Order
//!
//! For each kustomization, innermost first, once its resources, generators
//! and components are accumulated into `objects`:
//!
//! 1. patches (`patchesStrategicMerge`, then `patches`) — not here;
//! 2. [`set_namespace`] (`namespace:`);
//! 3. [`add_name_prefix`] (`namePrefix:`), then [`add_name_suffix`]
//!    (`nameSuffix:`);
//! 4. [`apply_labels`] (`labels:`), then [`apply_common_labels`]
//!    (`commonLabels:`);
//! 5. [`apply_common_annotations`] (`commonAnnotations:`);
//! 6. `patchesJson6902` — not here;
//! 7. [`apply_replicas`] (`replicas:`);
//! 8. [`apply_images`] (`images:`);
//! 9. `replacements` — not here.
//!
//! [`apply_name_and_label_fields`] runs 2–5 and
//! [`apply_replica_and_image_fields`] runs 7–8 from a kustomization's root
//! node. Then, once, on the objects of the top kustomization only: hash
//! suffixes of generated ConfigMaps and Secrets (recorded with
//! [`Object::rename`](super::Object::rename)), then [`fix_name_references`].
//! Name references are fixed once, at the end, because kustomize does so:
//! an overlay's prefix must reach references made inside its bases.

mod fieldspecs;
mod images;
mod labels;
mod namereference;
mod names;
mod namespace;
mod replicas;
mod vars;

#[cfg(test)]
mod differential_tests;
#[cfg(test)]
mod test_support;

pub use fieldspecs::{FieldSpec, is_cluster_scoped};
pub use images::apply_images;
pub use labels::{
    apply_common_annotations, apply_common_labels, apply_common_labels_extra, apply_labels,
    apply_labels_extra, apply_pairs_at,
};
pub use namereference::{BackReference, Referrer, fix_name_references, fix_name_references_with};
pub use names::{add_name_prefix, add_name_suffix};
pub use namespace::{
    NamespaceOptions, RoleBindingSubjects, set_namespace, set_namespace_extra, set_namespace_with,
};
pub use replicas::apply_replicas;
pub use vars::substitute_vars;

use super::{BuildError, Object};
use crate::source::yaml::{Node, Value};

/// Runs the transformers configured by `namespace`, `namePrefix`,
/// `nameSuffix`, `labels`, `commonLabels` and `commonAnnotations` of a
/// kustomization (its root mapping), in kustomize's order. Call it after the
/// kustomization's patches and before its JSON 6902 patches.
pub fn apply_name_and_label_fields(
    objects: &mut [Object],
    kustomization: &Node,
) -> Result<(), BuildError> {
    apply_name_and_label_fields_with(objects, kustomization, &ExtraFieldSpecs::default())
}

/// The field specs a build's `configurations` add to kustomize's defaults.
#[derive(Default)]
pub struct ExtraFieldSpecs<'a> {
    pub namespace: Vec<FieldSpec<'a>>,
    pub common_labels: Vec<FieldSpec<'a>>,
    pub var_reference: Vec<FieldSpec<'a>>,
    pub name_reference: Vec<BackReference<'a>>,
}

/// [`apply_name_and_label_fields`], with the fields `configurations` add.
pub fn apply_name_and_label_fields_with(
    objects: &mut [Object],
    kustomization: &Node,
    extra: &ExtraFieldSpecs<'_>,
) -> Result<(), BuildError> {
    if let Some(node) = kustomization.get("namespace") {
        set_namespace_extra(objects, node, &extra.namespace)?;
    }
    if let Some(node) = kustomization.get("namePrefix") {
        add_name_prefix(objects, node)?;
    }
    if let Some(node) = kustomization.get("nameSuffix") {
        add_name_suffix(objects, node)?;
    }
    if let Some(node) = kustomization.get("labels") {
        apply_labels_extra(objects, node, &extra.common_labels)?;
    }
    if let Some(node) = kustomization.get("commonLabels") {
        apply_common_labels_extra(objects, node, &extra.common_labels)?;
    }
    if let Some(node) = kustomization.get("commonAnnotations") {
        apply_common_annotations(objects, node)?;
    }
    Ok(())
}

/// Runs the transformers configured by `replicas` and `images` of a
/// kustomization (its root mapping), in kustomize's order. Call it after the
/// kustomization's JSON 6902 patches and before its replacements.
pub fn apply_replica_and_image_fields(
    objects: &mut [Object],
    kustomization: &Node,
) -> Result<(), BuildError> {
    if let Some(node) = kustomization.get("replicas") {
        apply_replicas(objects, node)?;
    }
    if let Some(node) = kustomization.get("images") {
        apply_images(objects, node)?;
    }
    Ok(())
}

/// A string field of a kustomization: null reads as empty, anything else
/// but a string is an error (kustomize's fields are typed).
fn text<'a>(node: &'a Node, field: &str) -> Result<&'a str, BuildError> {
    match &node.value {
        Value::Str(s) => Ok(s),
        Value::Null => Ok(""),
        _ => Err(BuildError::new(
            format!("`{field}` must be a string, not {}", node.display_scalar()),
            Some(node.span),
        )),
    }
}

/// A boolean field of a kustomization; null or absent reads as false.
fn flag(node: Option<&Node>, field: &str) -> Result<bool, BuildError> {
    match node.map(|n| (&n.value, n.span)) {
        None | Some((Value::Null, _)) => Ok(false),
        Some((Value::Bool(b), _)) => Ok(*b),
        Some((_, span)) => Err(BuildError::new(
            format!("`{field}` must be true or false"),
            Some(span),
        )),
    }
}

/// The items of a list field of a kustomization; null reads as empty.
fn list<'a>(node: &'a Node, field: &str) -> Result<&'a [Node], BuildError> {
    match &node.value {
        Value::Seq(items) => Ok(items),
        Value::Null => Ok(&[]),
        _ => Err(BuildError::new(
            format!("`{field}` must be a list"),
            Some(node.span),
        )),
    }
}

/// `Kind name` of an object, for messages.
fn describe(object: &Object) -> String {
    match object.namespace() {
        Some(namespace) => format!("{} {namespace}/{}", object.kind(), object.name()),
        None => format!("{} {}", object.kind(), object.name()),
    }
}

/// Whether an object has nothing in it; kustomize leaves those alone.
fn is_empty(object: &Object) -> bool {
    object
        .body
        .as_map()
        .is_none_or(|entries| entries.is_empty())
}
