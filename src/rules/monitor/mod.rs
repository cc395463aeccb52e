//! Azure Monitor around the cluster: the audit log collected, the telemetry
//! paths Defender needs, and how long logs are kept.

mod audit_logs;
mod log_retention;
mod private_link_scope;

use super::Rule;

/// The monitoring rules: AKS017 (cluster audit logs, a cluster rule that
/// needs the diagnostic settings), then MON001 and MON002.
pub static RULES: &[&Rule] = &[
    &audit_logs::RULE,
    &private_link_scope::RULE,
    &log_retention::RULE,
];

/// The resource type of AKS clusters.
const CLUSTER: &str = "azurerm_kubernetes_cluster";
