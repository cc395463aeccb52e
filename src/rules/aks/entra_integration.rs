use super::require_block;
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources without an
    /// `azure_active_directory_role_based_access_control` block: users do not
    /// sign in to the cluster with Microsoft Entra ID.
    ///
    /// ## Why it matters
    /// Without Entra ID integration, kubeconfigs carry client certificates
    /// issued by the cluster. They cannot be revoked one by one, they do not
    /// expire when someone leaves the team, conditional access and MFA do not
    /// apply, and the audit log cannot tell people apart. With Entra ID, access
    /// follows group membership and each request names its user. High: cluster
    /// credentials that outlive their holder's access are a standing way in.
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
    ///   azure_active_directory_role_based_access_control {
    ///     azure_rbac_enabled     = true
    ///     admin_group_object_ids = ["00000000-0000-0000-0000-000000000000"]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`:
    ///   `azure_active_directory_role_based_access_control` (its `managed`
    ///   attribute was removed in azurerm 4.0: the block now always means
    ///   AKS-managed Entra ID integration)
    /// - CIS AKS Benchmark v1.8.0, 5.5.1 (manage Kubernetes RBAC users with
    ///   Microsoft Entra ID) and 5.5.2 (Azure RBAC for Kubernetes authorization)
    /// - Azure Policy built-in 450d2877-ebea-41e8-b00c-e286317d21bf
    /// - Azure documentation, "AKS-managed Microsoft Entra integration"
    pub static RULE = Rule {
        id: "AKS008",
        name: "aks-entra-id-integration-missing",
        severity: Severity::High,
        summary: "AKS cluster without Microsoft Entra ID integration",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    require_block(
        resource,
        "azure_active_directory_role_based_access_control",
        "users authenticate with cluster-issued certificates, not Microsoft Entra ID",
        out,
    );
}
