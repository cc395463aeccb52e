use super::{Setting, cluster, report_attribute, report_missing, setting, spelled, undetermined};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources with no automatic Kubernetes
    /// upgrade channel: `automatic_upgrade_channel` (azurerm 4.x and later) or
    /// `automatic_channel_upgrade` (3.x) absent, or set to `none`. The provider
    /// sends `none` when the attribute is omitted.
    ///
    /// ## Why it matters
    /// Without a channel, the cluster stays on the Kubernetes version it was
    /// created with until someone upgrades it by hand: API server and kubelet
    /// vulnerabilities stay open, and once the version leaves AKS support the
    /// cluster no longer gets security patches at all. A channel (`patch` at
    /// least, `stable` for minor versions), combined with a maintenance window,
    /// keeps it current. Medium: known vulnerabilities accumulate over time
    /// rather than an immediate opening.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                      = "aks-prod"
    ///   location                  = "westeurope"
    ///   resource_group_name       = "rg-aks-prod"
    ///   dns_prefix                = "aks-prod"
    ///   automatic_upgrade_channel = "none"
    ///
    ///   default_node_pool {
    ///     name    = "system"
    ///     vm_size = "Standard_D4s_v5"
    ///   }
    ///
    ///   identity {
    ///     type = "SystemAssigned"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                      = "aks-prod"
    ///   location                  = "westeurope"
    ///   resource_group_name       = "rg-aks-prod"
    ///   dns_prefix                = "aks-prod"
    ///   automatic_upgrade_channel = "patch"
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
    ///   maintenance_window_auto_upgrade {
    ///     frequency   = "Weekly"
    ///     interval    = 1
    ///     duration    = 4
    ///     day_of_week = "Sunday"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`:
    ///   `automatic_upgrade_channel` ("Omitting this field sets this value to
    ///   `none`"); renamed from `automatic_channel_upgrade` in the 4.0 upgrade
    ///   guide
    /// - Azure Policy built-in 5c345cdf-2049-47e0-b8fe-b0e96bc2df35 (cluster
    ///   auto-upgrade)
    /// - Azure documentation, "Automatically upgrade an Azure Kubernetes Service
    ///   cluster"
    pub static RULE = Rule {
        id: "AKS013",
        name: "aks-auto-upgrade-disabled",
        severity: Severity::Medium,
        summary: "AKS cluster has no automatic Kubernetes upgrade channel",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const NAMES: &[&str] = &["automatic_upgrade_channel", "automatic_channel_upgrade"];

const CONSEQUENCE: &str = "Kubernetes is upgraded only by hand";

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    let Some(body) = cluster(resource) else {
        return;
    };
    match setting(body, NAMES) {
        Setting::Absent => {
            let message = format!(
                "{} is not set (provider default: none): {CONSEQUENCE}",
                spelled(NAMES)
            );
            report_missing(out, resource, body, NAMES[0].to_string(), message);
        }
        Setting::Unknown(attribute) => undetermined(out, attribute, ""),
        Setting::Known(attribute, value) => {
            if value
                .as_str()
                .is_some_and(|v| v.eq_ignore_ascii_case("none"))
            {
                let message = format!("{} is {value}: {CONSEQUENCE}", attribute.name);
                report_attribute(out, resource, attribute, "", message);
            }
        }
    }
}
