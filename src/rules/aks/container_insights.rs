use super::require_block;
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources without an `oms_agent` block: the
    /// Azure Monitor agent for Container Insights is not deployed, so container
    /// logs, Kubernetes events and node metrics are not sent to Log Analytics.
    ///
    /// ## Why it matters
    /// Container logs live on the node and vanish with the pod or the node; an
    /// attacker who deletes a pod or the events erases the trace. Collected
    /// centrally, they support incident investigation and alerting, and they
    /// outlive the cluster. Low: the control-plane audit log goes through
    /// diagnostic settings (AKS017), and another log pipeline (Fluent Bit,
    /// Datadog) may collect container logs instead.
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
    /// Send the data to a Log Analytics workspace, authenticating the agent
    /// with the cluster's managed identity.
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
    ///   oms_agent {
    ///     log_analytics_workspace_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-aks"
    ///     msi_auth_for_monitoring_enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`: `oms_agent`
    ///   (`addon_profile.oms_agent` before azurerm 3.0)
    /// - Azure documentation, "Enable monitoring for Kubernetes clusters"
    ///   (Container Insights)
    pub static RULE = Rule {
        id: "AKS006",
        name: "aks-container-insights-disabled",
        severity: Severity::Low,
        summary: "AKS cluster does not send container logs to Azure Monitor",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    require_block(
        resource,
        "oms_agent",
        "Container Insights does not collect container logs and events",
        out,
    );
}
