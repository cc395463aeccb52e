use super::{Flag, cluster};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources with
    /// `role_based_access_control_enabled = false`. The provider default is
    /// `true`, so only an explicit `false` is reported.
    ///
    /// ## Why it matters
    /// Without Kubernetes RBAC, the API server authorizes every authenticated
    /// request: every user and every service account token (so every pod that
    /// mounts one) can read all Secrets, create privileged pods and take over
    /// the nodes. Roles and RoleBindings in the repository are then ignored.
    /// Critical: any foothold in any pod becomes cluster-admin. The setting
    /// cannot be changed without recreating the cluster.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                              = "aks-prod"
    ///   location                          = "westeurope"
    ///   resource_group_name               = "rg-aks-prod"
    ///   dns_prefix                        = "aks-prod"
    ///   role_based_access_control_enabled = false
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
    /// Remove the attribute (it defaults to `true`) or set it to `true`.
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                              = "aks-prod"
    ///   location                          = "westeurope"
    ///   resource_group_name               = "rg-aks-prod"
    ///   dns_prefix                        = "aks-prod"
    ///   role_based_access_control_enabled = true
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
    /// - azurerm provider, `azurerm_kubernetes_cluster`:
    ///   `role_based_access_control_enabled` (defaults to `true`; the
    ///   `role_based_access_control` block before azurerm 3.0)
    /// - Azure Policy built-in ac4a19c2-fa67-49b4-8ae5-0b2e78c49457
    ///   (Role-Based Access Control should be used on Kubernetes Services)
    /// - Azure documentation, "Access and identity options for Azure Kubernetes
    ///   Service": Kubernetes RBAC
    pub static RULE = Rule {
        id: "AKS007",
        name: "aks-rbac-disabled",
        severity: Severity::Critical,
        summary: "AKS cluster with Kubernetes RBAC disabled",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const RBAC: Flag = Flag {
    names: &["role_based_access_control_enabled"],
    default: true,
    secure: true,
    consequence: "every authenticated user and service account is authorized for everything",
};

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    if let Some(body) = cluster(resource) {
        RBAC.check(resource, body, "", out);
    }
}
