use super::{Setting, cluster, report_attribute, setting, undetermined};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources whose node OS upgrade channel,
    /// `node_os_upgrade_channel` (azurerm 4.x and later) or
    /// `node_os_channel_upgrade` (3.x), is explicitly `None` or `Unmanaged`.
    /// When absent it is not reported: azurerm 4.x defaults to `NodeImage`, and
    /// with 3.x AKS applies its own default.
    ///
    /// ## Why it matters
    /// Node images carry the kernel, the container runtime and the OS packages.
    /// With `None`, nodes get no OS security update until the node pool is
    /// upgraded by hand; with `Unmanaged`, the OS installs updates itself but
    /// AKS does not reboot the nodes, so kernel fixes wait until someone does
    /// (with kured, for example), and new nodes start unpatched. `SecurityPatch` or `NodeImage` patch
    /// the nodes within the maintenance window. Medium: container escapes
    /// through kernel vulnerabilities stay exploitable for longer.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                    = "aks-prod"
    ///   location                = "westeurope"
    ///   resource_group_name     = "rg-aks-prod"
    ///   dns_prefix              = "aks-prod"
    ///   node_os_upgrade_channel = "None"
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
    ///   name                    = "aks-prod"
    ///   location                = "westeurope"
    ///   resource_group_name     = "rg-aks-prod"
    ///   dns_prefix              = "aks-prod"
    ///   node_os_upgrade_channel = "SecurityPatch"
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
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`: `node_os_upgrade_channel`
    ///   (defaults to `NodeImage`); renamed from `node_os_channel_upgrade` in the
    ///   4.0 upgrade guide
    /// - Azure Policy built-in 04408ca5-aa10-42ce-8536-98955cdddd4c (node OS
    ///   auto-upgrade)
    /// - Azure documentation, "Autoupgrade node OS images"
    pub static RULE = Rule {
        id: "AKS014",
        name: "aks-node-os-upgrade-disabled",
        severity: Severity::Medium,
        summary: "AKS nodes do not receive OS security updates automatically",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const NAMES: &[&str] = &["node_os_upgrade_channel", "node_os_channel_upgrade"];

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    let Some(body) = cluster(resource) else {
        return;
    };
    match setting(body, NAMES) {
        Setting::Absent => {}
        Setting::Unknown(attribute) => undetermined(out, attribute, ""),
        Setting::Known(attribute, value) => {
            let consequence = match value.as_str() {
                Some(v) if v.eq_ignore_ascii_case("none") => {
                    "nodes get no OS security update until upgraded by hand"
                }
                Some(v) if v.eq_ignore_ascii_case("unmanaged") => {
                    "AKS does not reboot the nodes, so kernel fixes wait until someone does"
                }
                _ => return,
            };
            let message = format!("{} is {value}: {consequence}", attribute.name);
            report_attribute(out, resource, attribute, "", message);
        }
    }
}
