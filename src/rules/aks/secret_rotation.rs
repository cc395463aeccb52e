use super::{Flag, cluster};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources with a `key_vault_secrets_provider`
    /// block whose `secret_rotation_enabled` is not `true` (absent means
    /// `false`). Clusters without the block are AKS003's concern.
    ///
    /// ## Why it matters
    /// Without rotation, the CSI driver fetches a secret once, when the pod
    /// starts: after a credential is rotated or revoked in Key Vault (because it
    /// leaked), running pods keep the old value, and the Kubernetes Secrets
    /// synced from it keep it too, until every pod restarts. With rotation on,
    /// the driver polls the vault (every two minutes by default) and updates the
    /// mounted files. Low: rotation shortens exposure after a leak; it does not
    /// open anything.
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
    ///   key_vault_secrets_provider {
    ///     secret_rotation_enabled = false
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
    ///   key_vault_secrets_provider {
    ///     secret_rotation_enabled  = true
    ///     secret_rotation_interval = "2m"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`:
    ///   `key_vault_secrets_provider.secret_rotation_enabled`
    /// - CIS AKS Benchmark v1.8.0, 4.5.2 (consider external secret storage)
    /// - Azure documentation, "Use the Azure Key Vault provider for Secrets Store
    ///   CSI Driver in an AKS cluster": enable and disable auto-rotation
    pub static RULE = Rule {
        id: "AKS004",
        name: "aks-secret-rotation-disabled",
        severity: Severity::Low,
        summary: "Key Vault CSI driver add-on does not rotate secrets",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const SECRET_ROTATION: Flag = Flag {
    names: &["secret_rotation_enabled"],
    default: false,
    secure: true,
    consequence: "pods keep a secret's old value after it is rotated in Key Vault",
};

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    let Some(body) = cluster(resource) else {
        return;
    };
    for provider in body.blocks_of("key_vault_secrets_provider") {
        SECRET_ROTATION.check(resource, provider, "key_vault_secrets_provider", out);
    }
}
