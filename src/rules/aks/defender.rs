use super::require_block;
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources without a `microsoft_defender`
    /// block: the Microsoft Defender for Containers sensor is not deployed on
    /// the nodes.
    ///
    /// ## Why it matters
    /// The Defender sensor watches the nodes and the cluster's audit events at
    /// runtime: crypto-miners, reverse shells, containers escaping to the host,
    /// suspicious API calls. Without it, a compromise that began after
    /// deployment (a vulnerable image, a stolen token) raises no alert. Medium:
    /// a detection control; nothing is exposed by its absence alone, but attacks
    /// go unnoticed. Enabling the Defender for Containers plan on the
    /// subscription (checked by DEF001) is needed as well.
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
    ///   microsoft_defender {
    ///     log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-security"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`: `microsoft_defender`
    /// - CIS AKS Benchmark v1.8.0, 5.1.1 (image scanning with Microsoft Defender
    ///   for Cloud or a third party)
    /// - Azure Policy built-in a1840de2-8088-4ea8-b153-b4c723e9cb01 (Defender
    ///   profile enabled on AKS clusters)
    /// - Azure documentation, "Overview of Microsoft Defender for Containers"
    pub static RULE = Rule {
        id: "AKS005",
        name: "aks-defender-disabled",
        severity: Severity::Medium,
        summary: "AKS cluster without the Microsoft Defender sensor",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    require_block(
        resource,
        "microsoft_defender",
        "the Microsoft Defender sensor is not deployed, runtime threats raise no alert",
        out,
    );
}
