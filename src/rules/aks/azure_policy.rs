use super::{Flag, cluster};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources whose `azure_policy_enabled` is not
    /// `true`. The attribute has no default in the provider: when it is absent,
    /// the Azure Policy add-on is not installed.
    ///
    /// ## Why it matters
    /// The Azure Policy add-on runs Gatekeeper in the cluster and enforces the
    /// policies assigned to it (Pod Security baseline or restricted initiatives,
    /// allowed registries, no privileged containers) at admission time. Without
    /// it, nothing in the cluster stops a manifest that skipped the pipeline's
    /// checks (a `kubectl apply` by hand, a compromised deployment identity),
    /// and Azure Policy compliance reports show nothing about the workloads.
    /// Medium: a second line of defence behind the repository's own checks,
    /// not an opening by itself.
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
    ///   name                 = "aks-prod"
    ///   location             = "westeurope"
    ///   resource_group_name  = "rg-aks-prod"
    ///   dns_prefix           = "aks-prod"
    ///   azure_policy_enabled = true
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
    /// - azurerm provider, `azurerm_kubernetes_cluster`: `azure_policy_enabled`
    ///   (`addon_profile.azure_policy` before azurerm 3.0)
    /// - CIS AKS Benchmark v1.8.0, group 4.3 (Azure Policy / OPA)
    /// - Azure Policy built-in 0a15ec92-a229-4763-bb14-0ea34a568f8d, "Azure
    ///   Policy Add-on for Kubernetes service (AKS) should be installed and
    ///   enabled on your clusters"
    /// - Azure documentation, "Understand Azure Policy for Kubernetes clusters"
    pub static RULE = Rule {
        id: "AKS001",
        name: "aks-azure-policy-disabled",
        severity: Severity::Medium,
        summary: "AKS cluster without the Azure Policy add-on",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const AZURE_POLICY: Flag = Flag {
    names: &["azure_policy_enabled"],
    default: false,
    secure: true,
    consequence: "no Azure Policy add-on (Gatekeeper) enforces policies at admission",
};

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    if let Some(body) = cluster(resource) {
        AZURE_POLICY.check(resource, body, "", out);
    }
}
