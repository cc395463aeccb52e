use super::{Setting, cluster, report_attribute, report_missing, setting, undetermined};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources with no network policy engine:
    /// no `network_profile` block (the cluster uses kubenet without one), a
    /// `network_profile` without `network_policy`, or `network_policy = "none"`
    /// (or `""`).
    /// The engines azurerm accepts are `azure`, `calico` and `cilium`.
    ///
    /// ## Why it matters
    /// Without an engine, the NetworkPolicy objects in the repository are
    /// accepted by the API server and silently ignored: every pod can reach
    /// every other pod and the node's metadata endpoint, so one compromised
    /// workload can probe and attack databases, internal APIs and other
    /// tenants' namespaces. Medium: no exposure by itself, but the cluster has
    /// no internal segmentation. Changing the engine on an existing cluster may
    /// require recreating it; choose it at creation.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                = "aks-prod"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-aks-prod"
    ///   dns_prefix          = "aks-prod"
    ///
    ///   default_node_pool {
    ///     name    = "system"
    ///     vm_size = "Standard_D4s_v5"
    ///   }
    ///
    ///   identity {
    ///     type = "SystemAssigned"
    ///   }
    ///
    ///   network_profile {
    ///     network_plugin = "azure"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                = "aks-prod"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-aks-prod"
    ///   dns_prefix          = "aks-prod"
    ///
    ///   default_node_pool {
    ///     name    = "system"
    ///     vm_size = "Standard_D4s_v5"
    ///   }
    ///
    ///   identity {
    ///     type = "SystemAssigned"
    ///   }
    ///
    ///   network_profile {
    ///     network_plugin      = "azure"
    ///     network_plugin_mode = "overlay"
    ///     network_data_plane  = "cilium"
    ///     network_policy      = "cilium"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`:
    ///   `network_profile.network_policy`
    /// - CIS AKS Benchmark v1.8.0, 5.4.4 (ensure network policy is enabled) and
    ///   4.4.2 (all namespaces have NetworkPolicies)
    /// - Azure documentation, "Secure traffic between pods by using network
    ///   policies in AKS"
    pub static RULE = Rule {
        id: "AKS011",
        name: "aks-network-policy-missing",
        severity: Severity::Medium,
        summary: "AKS cluster without a network policy engine",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const CONSEQUENCE: &str = "NetworkPolicy objects are ignored and every pod can reach every other";

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    let Some(body) = cluster(resource) else {
        return;
    };
    let Some(profile) = body.block("network_profile") else {
        let message =
            format!("no network_profile block (kubenet, no network policy): {CONSEQUENCE}");
        return report_missing(out, resource, body, "network_profile".to_string(), message);
    };
    match setting(profile, &["network_policy"]) {
        Setting::Absent => {
            let message = format!("network_policy is not set: {CONSEQUENCE}");
            let field = "network_profile.network_policy".to_string();
            report_missing(out, resource, profile, field, message);
        }
        Setting::Unknown(attribute) => undetermined(out, attribute, "network_profile"),
        Setting::Known(attribute, value) => {
            if value
                .as_str()
                .is_some_and(|v| v.eq_ignore_ascii_case("none"))
            {
                let message = format!("network_policy is {value}: {CONSEQUENCE}");
                report_attribute(out, resource, attribute, "network_profile", message);
            }
        }
    }
}
