use super::{Flag, cluster};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources whose `run_command_enabled` is
    /// not `false`. The provider default is `true`: an absent attribute is
    /// reported.
    ///
    /// ## Why it matters
    /// Run command (`az aks command invoke`) starts a pod in the cluster that
    /// runs the caller's `kubectl` or `helm` commands, for any Azure principal
    /// allowed the `runcommand` action (Contributor, Owner and the AKS Cluster
    /// Admin role hold it). The request travels through the Azure control
    /// plane, so it reaches a private API server from anywhere and passes
    /// around the authorized IP ranges that protect a public one. Medium: it needs Azure permissions, but broad
    /// ones that many identities hold.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                    = "aks-prod"
    ///   location                = "westeurope"
    ///   resource_group_name     = "rg-aks-prod"
    ///   dns_prefix              = "aks-prod"
    ///   private_cluster_enabled = true
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
    ///   name                    = "aks-prod"
    ///   location                = "westeurope"
    ///   resource_group_name     = "rg-aks-prod"
    ///   dns_prefix              = "aks-prod"
    ///   private_cluster_enabled = true
    ///   run_command_enabled     = false
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
    /// - azurerm provider, `azurerm_kubernetes_cluster`: `run_command_enabled`
    ///   (defaults to `true`)
    /// - Azure Policy built-in 89f2d532-c53c-4f8f-9afa-4927b1114a0d (disable
    ///   Command Invoke on AKS clusters)
    /// - Azure documentation, "Use `command invoke` to access a private Azure
    ///   Kubernetes Service cluster"
    pub static RULE = Rule {
        id: "AKS019",
        name: "aks-run-command-enabled",
        severity: Severity::Medium,
        summary: "AKS run command lets Azure principals run kubectl in the cluster",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const RUN_COMMAND: Flag = Flag {
    names: &["run_command_enabled"],
    default: true,
    secure: false,
    consequence: "Azure principals can run kubectl in the cluster, around its network restrictions",
};

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    if let Some(body) = cluster(resource) {
        RUN_COMMAND.check(resource, body, "", out);
    }
}
