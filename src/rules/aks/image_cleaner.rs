use super::{Flag, cluster};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources whose `image_cleaner_enabled` is
    /// not `true` (absent means `false`).
    ///
    /// ## Why it matters
    /// Nodes keep every image they ever pulled. Old images with known
    /// vulnerabilities stay on disk, ready to be started again by a pod that
    /// names them (a rollback, an attacker with create rights on pods, an image
    /// pull policy of `IfNotPresent`), and they keep flagging the nodes in
    /// vulnerability reports. Image Cleaner removes unused images that have
    /// known vulnerabilities, on a schedule (`image_cleaner_interval_hours`).
    /// Low: hygiene that narrows what an attacker can reuse.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                  = "aks-prod"
    ///   location              = "westeurope"
    ///   resource_group_name   = "rg-aks-prod"
    ///   dns_prefix            = "aks-prod"
    ///   image_cleaner_enabled = false
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
    ///   name                         = "aks-prod"
    ///   location                     = "westeurope"
    ///   resource_group_name          = "rg-aks-prod"
    ///   dns_prefix                   = "aks-prod"
    ///   image_cleaner_enabled        = true
    ///   image_cleaner_interval_hours = 48
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
    /// - azurerm provider, `azurerm_kubernetes_cluster`: `image_cleaner_enabled`,
    ///   `image_cleaner_interval_hours`
    /// - Azure Policy built-in af3c26b2-6fad-493e-9236-9c68928516ab (Image
    ///   Cleaner enabled)
    /// - Azure documentation, "Use Image Cleaner to clean up stale images on your
    ///   Azure Kubernetes Service cluster"
    pub static RULE = Rule {
        id: "AKS020",
        name: "aks-image-cleaner-disabled",
        severity: Severity::Low,
        summary: "AKS nodes keep unused vulnerable images",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const IMAGE_CLEANER: Flag = Flag {
    names: &["image_cleaner_enabled"],
    default: false,
    secure: true,
    consequence: "unused images with known vulnerabilities stay on the nodes",
};

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    if let Some(body) = cluster(resource) {
        IMAGE_CLEANER.check(resource, body, "", out);
    }
}
