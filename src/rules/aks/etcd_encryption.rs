use super::require_block;
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources without a `key_management_service`
    /// block: Kubernetes Secrets in etcd are not encrypted with a key the
    /// organisation holds in Azure Key Vault (KMS etcd encryption).
    ///
    /// ## Why it matters
    /// AKS encrypts etcd's disks with platform-managed keys, but Secret values
    /// are stored in clear inside etcd. KMS encryption wraps each Secret with a
    /// key from your Key Vault: you control its rotation and can revoke it,
    /// and an etcd backup or snapshot alone no longer yields the cluster's
    /// credentials. Medium: the data stays encrypted at rest by the platform;
    /// what is missing is customer control of the key.
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
    /// Give the cluster a Key Vault key (the cluster's identity needs
    /// encrypt/decrypt rights on it), preferably in a vault reached privately.
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
    ///   key_management_service {
    ///     key_vault_key_id         = "https://kv-aks-prod.vault.azure.net/keys/etcd/0123456789abcdef"
    ///     key_vault_network_access = "Private"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`: `key_management_service`
    /// - CIS AKS Benchmark v1.8.0, 5.3.1 (encrypt Kubernetes Secrets with KMS)
    /// - Azure Policy built-in dbbdc317-9734-4dd8-9074-993b29c69008 (KMS
    ///   encryption enabled)
    /// - Azure documentation, "Add Key Management Service etcd encryption to an
    ///   Azure Kubernetes Service cluster"
    pub static RULE = Rule {
        id: "AKS002",
        name: "aks-etcd-kms-disabled",
        severity: Severity::Medium,
        summary: "AKS cluster does not encrypt Secrets in etcd with a Key Vault key",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    require_block(
        resource,
        "key_management_service",
        "Secrets in etcd are not encrypted with a Key Vault key (KMS)",
        out,
    );
}
