use super::{Flag, node_pools};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Node pools without encryption at host: the `default_node_pool` of an
    /// `azurerm_kubernetes_cluster`, and every
    /// `azurerm_kubernetes_cluster_node_pool`, whose `host_encryption_enabled`
    /// (azurerm 4.x and later) or `enable_host_encryption` (3.x) is not `true`.
    /// The provider default is `false`.
    ///
    /// ## Why it matters
    /// Azure Storage encrypts managed disks at rest, but not the node's
    /// temporary disk, nor the OS and data disk caches kept on the host, nor the
    /// data in flight between the VM and storage. On AKS those hold container
    /// images, emptyDir volumes, container logs and often secrets mounted as
    /// files. Encryption at host covers them all. Low: the remaining exposure
    /// needs access to Azure's physical hosts, which regulated workloads
    /// (health data, payment data) must nonetheless rule out.
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
    /// The subscription needs the `Microsoft.Compute/EncryptionAtHost` feature
    /// registered.
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                = "aks-prod"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-aks-prod"
    ///   dns_prefix          = "aks-prod"
    ///
    ///   default_node_pool {
    ///     name                    = "system"
    ///     vm_size                 = "Standard_D4s_v5"
    ///     host_encryption_enabled = true
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
    ///   `default_node_pool.host_encryption_enabled`;
    ///   `azurerm_kubernetes_cluster_node_pool`: `host_encryption_enabled`
    ///   (both `enable_host_encryption` before azurerm 4.0)
    /// - Azure Policy built-in 41425d9f-d1a5-499a-9932-f8ed8453932c (temp disks
    ///   and cache for agent node pools encrypted at host)
    /// - Azure documentation, "Host-based encryption on Azure Kubernetes Service"
    pub static RULE = Rule {
        id: "AKS015",
        name: "aks-host-encryption-disabled",
        severity: Severity::Low,
        summary: "AKS node pool without encryption at host",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const HOST_ENCRYPTION: Flag = Flag {
    names: &["host_encryption_enabled", "enable_host_encryption"],
    default: false,
    secure: true,
    consequence: "the nodes' temporary disks and disk caches are not encrypted",
};

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    for (pool, path) in node_pools(resource) {
        HOST_ENCRYPTION.check(resource, pool, path, out);
    }
}
