//! Workload hygiene beyond the Pod Security Standards: where images come from
//! and how they are pinned, resources and probes, service accounts and their
//! tokens, secrets in the environment, sensitive host paths, namespaces and
//! labels.

mod allowed_namespaces;
mod default_namespace;
mod default_service_account;
mod image_latest_tag;
mod image_not_pinned;
mod image_registry;
mod probes;
mod read_only_root_filesystem;
mod required_labels;
mod resources;
mod secret_env;
mod sensitive_host_path;
mod token_automount;

use super::{Context, Rule};
use crate::model::image::ImageReference;
use crate::model::{Container, Resource};
use crate::source::yaml::{Entry, Node};

/// The workload rules, in ID order.
pub static RULES: &[&Rule] = &[
    &image_latest_tag::RULE,
    &image_not_pinned::RULE,
    &image_registry::RULE,
    &resources::RULE,
    &probes::RULE,
    &read_only_root_filesystem::RULE,
    &token_automount::RULE,
    &default_service_account::RULE,
    &secret_env::RULE,
    &default_namespace::RULE,
    &sensitive_host_path::RULE,
    &required_labels::RULE,
    &allowed_namespaces::RULE,
];

/// A container's `image` entry and the reference it holds; `None` when the
/// container names no image (the API server would refuse it, or a tool fills it
/// in later).
pub(super) fn image_of<'a>(container: &Container<'a>) -> Option<(&'a Entry, ImageReference<'a>)> {
    let entry = container.node.entry("image")?;
    let reference = ImageReference::parse(entry.value.as_str()?)?;
    Some((entry, reference))
}

/// The `metadata.namespace` entry of a namespaced object that names one. An
/// empty namespace means "the current one", as if none were written.
pub(super) fn namespace_entry<'a>(ctx: &Context, resource: &'a Resource) -> Option<&'a Entry> {
    let entry = resource.metadata()?.entry("namespace")?;
    let written = entry.value.as_str().is_some_and(|ns| !ns.is_empty());
    (written && !ctx.repo.is_cluster_scoped(resource)).then_some(entry)
}

/// Items quoted and joined for a message: `"a", "b"`.
pub(super) fn quoted_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|item| format!("{item:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a field is written with a value (not absent, not null).
pub(super) fn is_set(node: Option<&Node>) -> bool {
    node.is_some_and(|n| !n.is_null())
}
