//! Azure Kubernetes Service clusters as the azurerm provider declares them
//! (`azurerm_kubernetes_cluster`, `azurerm_kubernetes_cluster_node_pool`):
//! add-ons, identity and access, API server exposure, upgrades, node pools.
//!
//! azurerm renamed several attributes in 4.0 (`enable_host_encryption` became
//! `host_encryption_enabled`, …); the rules read both spellings, and apply the
//! provider's default when neither is written.

mod api_server_access;
mod azure_policy;
mod azure_rbac;
mod cluster_upgrade_channel;
mod container_insights;
mod defender;
mod entra_integration;
mod etcd_encryption;
mod host_encryption;
mod http_application_routing;
mod image_cleaner;
mod kubernetes_rbac;
mod local_accounts;
mod network_policy;
mod node_os_upgrade_channel;
mod node_public_ip;
mod run_command;
mod secret_rotation;
mod secrets_store_driver;
mod workload_identity;

use super::{Findings, Related, Rule};
use crate::model::{TfAttribute, TfBlock, TfResource, TfValue};

/// The AKS rules, in ID order.
pub static RULES: &[&Rule] = &[
    &azure_policy::RULE,
    &etcd_encryption::RULE,
    &secrets_store_driver::RULE,
    &secret_rotation::RULE,
    &defender::RULE,
    &container_insights::RULE,
    &kubernetes_rbac::RULE,
    &entra_integration::RULE,
    &local_accounts::RULE,
    &api_server_access::RULE,
    &network_policy::RULE,
    &workload_identity::RULE,
    &cluster_upgrade_channel::RULE,
    &node_os_upgrade_channel::RULE,
    &host_encryption::RULE,
    &node_public_ip::RULE,
    &http_application_routing::RULE,
    &run_command::RULE,
    &image_cleaner::RULE,
    &azure_rbac::RULE,
];

/// The managed cluster resource type.
const CLUSTER: &str = "azurerm_kubernetes_cluster";

/// The resource type of the node pools added next to the default one.
const NODE_POOL: &str = "azurerm_kubernetes_cluster_node_pool";

/// The body of a managed AKS cluster; `None` for any other resource and for
/// data sources, which describe a cluster managed elsewhere.
fn cluster(resource: &TfResource) -> Option<&TfBlock> {
    (resource.resource_type == CLUSTER && !resource.data).then_some(&resource.body)
}

/// The node pools a resource declares, each with its field path: the
/// `default_node_pool` blocks of a cluster, or a separate node pool resource.
fn node_pools(resource: &TfResource) -> Vec<(&TfBlock, &'static str)> {
    if resource.data {
        return Vec::new();
    }
    match resource.resource_type.as_str() {
        CLUSTER => resource
            .body
            .blocks_of("default_node_pool")
            .map(|pool| (pool, "default_node_pool"))
            .collect(),
        NODE_POOL => vec![(&resource.body, "")],
        _ => Vec::new(),
    }
}

/// An attribute as a rule judges it.
enum Setting<'a> {
    /// Not written, or `null` (which Terraform treats as not written): the
    /// provider default applies.
    Absent,
    /// Written with a value Vigie knows (a list may still hold unknown items).
    Known(&'a TfAttribute, &'a TfValue),
    /// Written, but known only after apply.
    Unknown(&'a TfAttribute),
}

/// The attribute of `block` under the first of its `names` that is written
/// with a non-null value (current azurerm spelling first, then older ones).
fn setting<'a>(block: &'a TfBlock, names: &[&str]) -> Setting<'a> {
    for name in names {
        let Some(attribute) = block.attribute(name) else {
            continue;
        };
        match &attribute.value {
            TfValue::Null => continue,
            TfValue::Unknown => return Setting::Unknown(attribute),
            value => return Setting::Known(attribute, value),
        }
    }
    Setting::Absent
}

/// `prefix.name`, or `name` for attributes of the resource itself.
fn field(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// An attribute's names for a message: `host_encryption_enabled
/// (enable_host_encryption before azurerm 4.0)`.
fn spelled(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [current] => (*current).to_string(),
        [current, older @ ..] => format!("{current} ({} before azurerm 4.0)", older.join(", ")),
    }
}

/// The places that explain a finding: where the deciding value came from
/// (variable default, `.tfvars` line, local, module argument), then the
/// module calls that instantiate the resource.
fn related(resource: &TfResource, attribute: Option<&TfAttribute>) -> Vec<Related> {
    attribute
        .into_iter()
        .flat_map(|a| a.trace.iter().cloned())
        .chain(resource.module_calls.iter().cloned())
        .collect()
}

/// Reports a finding on a written attribute, with its trace.
fn report_attribute(
    out: &mut Findings,
    resource: &TfResource,
    attribute: &TfAttribute,
    path: &str,
    message: String,
) {
    out.report_related(
        attribute.span,
        field(path, &attribute.name),
        message,
        related(resource, Some(attribute)),
    );
}

/// Reports a missing attribute or block at the header of the block that
/// should hold it.
fn report_missing(
    out: &mut Findings,
    resource: &TfResource,
    block: &TfBlock,
    field: String,
    message: String,
) {
    out.report_related(block.span, field, message, related(resource, None));
}

/// Says the rule cannot judge an attribute whose value is known only after
/// apply.
fn undetermined(out: &mut Findings, attribute: &TfAttribute, path: &str) {
    out.undetermined(
        attribute.span,
        field(path, &attribute.name),
        format!("{} is known only after apply", attribute.name),
    );
}

/// A boolean attribute that should hold one value.
struct Flag {
    /// Its spellings, current azurerm first.
    names: &'static [&'static str],
    /// The provider's value when the attribute is absent.
    default: bool,
    /// The value a hardened cluster sets.
    secure: bool,
    /// What the other value means, for the message.
    consequence: &'static str,
}

impl Flag {
    /// Reports the flag in `block` (at field path `path`) unless it holds the
    /// secure value.
    fn check(&self, resource: &TfResource, block: &TfBlock, path: &str, out: &mut Findings) {
        let consequence = self.consequence;
        match setting(block, self.names) {
            Setting::Absent if self.default != self.secure => {
                let message = format!(
                    "{} is {} (provider default): {consequence}",
                    spelled(self.names),
                    self.default
                );
                report_missing(out, resource, block, field(path, self.names[0]), message);
            }
            Setting::Absent => {}
            Setting::Unknown(attribute) => undetermined(out, attribute, path),
            Setting::Known(attribute, value) => match value.as_bool() {
                Some(b) if b == self.secure => {}
                Some(b) => {
                    let message = format!("{} is {b}: {consequence}", attribute.name);
                    report_attribute(out, resource, attribute, path, message);
                }
                None => out.undetermined(
                    attribute.span,
                    field(path, &attribute.name),
                    format!("{} is {value}, not a boolean", attribute.name),
                ),
            },
        }
    }
}

/// Reports a cluster that lacks a nested block; `consequence` says what its
/// absence means.
fn require_block(resource: &TfResource, kind: &str, consequence: &str, out: &mut Findings) {
    let Some(body) = cluster(resource) else {
        return;
    };
    if body.block(kind).is_none() {
        report_missing(
            out,
            resource,
            body,
            kind.to_string(),
            format!("no {kind} block: {consequence}"),
        );
    }
}

#[cfg(test)]
mod tests;
