use super::require_block;
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources without a
    /// `key_vault_secrets_provider` block: the Azure Key Vault provider for the
    /// Secrets Store CSI driver add-on is not installed.
    ///
    /// ## Why it matters
    /// Without the driver, workloads get their credentials from Kubernetes
    /// Secrets, which usually means a copy of each secret committed to the
    /// repository (even encrypted) or pushed by the pipeline, readable by
    /// anyone allowed to read Secrets in the namespace. With it, pods mount
    /// secrets straight from Key Vault, access is granted per identity and
    /// audited in the vault. Low: an alternative secret store (an External
    /// Secrets operator, Vault) may be in use instead.
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
    ///   key_vault_secrets_provider {
    ///     secret_rotation_enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`:
    ///   `key_vault_secrets_provider` (`addon_profile.azure_keyvault_secrets_provider`
    ///   before azurerm 3.0)
    /// - CIS AKS Benchmark v1.8.0, 4.5.2 (consider external secret storage)
    /// - Azure documentation, "Use the Azure Key Vault provider for Secrets Store
    ///   CSI Driver in an AKS cluster"
    pub static RULE = Rule {
        id: "AKS003",
        name: "aks-key-vault-secrets-provider-disabled",
        severity: Severity::Low,
        summary: "AKS cluster without the Key Vault Secrets Store CSI driver add-on",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    require_block(
        resource,
        "key_vault_secrets_provider",
        "the Key Vault Secrets Store CSI driver add-on is not installed",
        out,
    );
}
