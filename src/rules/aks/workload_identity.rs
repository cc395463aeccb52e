use super::{Flag, Setting, cluster, report_attribute, setting, undetermined};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources whose `workload_identity_enabled`
    /// is not `true` (the provider default is `false`), or whose
    /// `oidc_issuer_enabled` is explicitly `false`. Workload identity needs the
    /// OIDC issuer; when `oidc_issuer_enabled` is absent it is not reported,
    /// because its default changed (`false` up to azurerm 4.x, `true` from 5.0)
    /// and the provider documents that workload identity requires
    /// `oidc_issuer_enabled = true`.
    ///
    /// ## Why it matters
    /// Without workload identity, pods that call Azure use the node's managed
    /// identity (shared by every pod on the node: any compromised pod gets the
    /// rights of all of them) or a service principal secret stored in a
    /// Kubernetes Secret (long-lived, copied around, rarely rotated). Workload
    /// identity gives each service account its own short-lived federated token
    /// and its own least-privilege Azure role assignments. Medium: it removes a
    /// common path from a compromised pod to Azure resources.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                = "aks-prod"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-aks-prod"
    ///   dns_prefix          = "aks-prod"
    ///   oidc_issuer_enabled = true
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
    ///   name                      = "aks-prod"
    ///   location                  = "westeurope"
    ///   resource_group_name       = "rg-aks-prod"
    ///   dns_prefix                = "aks-prod"
    ///   oidc_issuer_enabled       = true
    ///   workload_identity_enabled = true
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
    ///   `workload_identity_enabled`, `oidc_issuer_enabled` (5.0 upgrade guide:
    ///   `oidc_issuer_enabled` defaults to `true`)
    /// - CIS AKS Benchmark v1.8.0, 5.2.1 (prefer using dedicated AKS service
    ///   accounts)
    /// - Azure Policy built-in 2cc2e023-0dac-4046-875b-178f683929d5 (workload
    ///   identity)
    /// - Azure documentation, "Use Microsoft Entra Workload ID with Azure
    ///   Kubernetes Service"
    pub static RULE = Rule {
        id: "AKS012",
        name: "aks-workload-identity-disabled",
        severity: Severity::Medium,
        summary: "AKS cluster without workload identity",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const WORKLOAD_IDENTITY: Flag = Flag {
    names: &["workload_identity_enabled"],
    default: false,
    secure: true,
    consequence: "pods reach Azure with the node's identity or with stored secrets",
};

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    let Some(body) = cluster(resource) else {
        return;
    };
    WORKLOAD_IDENTITY.check(resource, body, "", out);
    // Only an explicit false: the default depends on the provider's version.
    match setting(body, &["oidc_issuer_enabled"]) {
        Setting::Known(attribute, value) if value.as_bool() == Some(false) => {
            let message =
                "oidc_issuer_enabled is false: workload identity needs the cluster's OIDC issuer"
                    .to_string();
            report_attribute(out, resource, attribute, "", message);
        }
        Setting::Unknown(attribute) => undetermined(out, attribute, ""),
        _ => {}
    }
}
