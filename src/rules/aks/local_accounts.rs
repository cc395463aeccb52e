use super::{Flag, cluster};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources whose `local_account_disabled` is
    /// not `true`. The provider leaves local accounts enabled when the attribute
    /// is absent.
    ///
    /// ## Why it matters
    /// Local accounts give anyone allowed the `listClusterAdminCredential`
    /// action in Azure a static cluster-admin certificate (`az aks
    /// get-credentials --admin`). It bypasses Entra ID, conditional access and
    /// Kubernetes RBAC bindings, its requests cannot be traced to a person,
    /// and it stays valid until the cluster certificates are rotated. High: a
    /// non-auditable admin credential reachable from the Azure control plane.
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
    ///   azure_active_directory_role_based_access_control {
    ///     azure_rbac_enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Disabling local accounts requires Entra ID integration (AKS008).
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                   = "aks-prod"
    ///   location               = "westeurope"
    ///   resource_group_name    = "rg-aks-prod"
    ///   dns_prefix             = "aks-prod"
    ///   local_account_disabled = true
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
    ///     azure_rbac_enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`: `local_account_disabled`
    /// - CIS AKS Benchmark v1.8.0, 5.5.1 (manage Kubernetes RBAC users with
    ///   Microsoft Entra ID)
    /// - Azure Policy built-in 993c2fcd-2b29-49d2-9eb0-df2c3a730c32 (local
    ///   authentication methods disabled)
    /// - Azure documentation, "Manage local accounts with AKS-managed Microsoft
    ///   Entra integration"
    pub static RULE = Rule {
        id: "AKS009",
        name: "aks-local-accounts-enabled",
        severity: Severity::High,
        summary: "AKS cluster keeps its local admin accounts",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const LOCAL_ACCOUNTS: Flag = Flag {
    names: &["local_account_disabled"],
    default: false,
    secure: true,
    consequence: "a static cluster-admin certificate bypasses Entra ID and RBAC",
};

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    if let Some(body) = cluster(resource) {
        LOCAL_ACCOUNTS.check(resource, body, "", out);
    }
}
