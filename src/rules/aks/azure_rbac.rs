use super::{Flag, Setting, cluster, report_attribute, setting, undetermined};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources whose
    /// `azure_active_directory_role_based_access_control` block does not set
    /// `azure_rbac_enabled = true` (the provider's default is `false`, in
    /// azurerm 3.x and 4.x). With azurerm 3.x, `managed = false` in the block
    /// is reported too: the legacy integration it selects never sends
    /// `azure_rbac_enabled` to Azure. A cluster without the block is left to
    /// AKS008, which reports the missing Entra ID integration; this rule then
    /// stays silent.
    ///
    /// ## Why it matters
    /// With Entra ID integration alone, users sign in with Entra ID but what
    /// they may do is decided by RoleBindings inside each cluster: grants are
    /// scattered across clusters and namespaces, invisible from Azure, and
    /// outside access reviews and Privileged Identity Management. Azure RBAC
    /// for Kubernetes authorization checks every request against Azure role
    /// assignments, so cluster access is granted, reviewed, time-limited and
    /// revoked where the rest of Azure access is, and logged in the activity
    /// log. Medium: users still authenticate with Entra ID, but authorization
    /// escapes central governance.
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
    ///   azure_active_directory_role_based_access_control {
    ///     admin_group_object_ids = ["00000000-0000-0000-0000-000000000000"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Assign the built-in "Azure Kubernetes Service RBAC" roles (or your own)
    /// to Entra ID groups at the cluster or namespace scope.
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
    ///   azure_active_directory_role_based_access_control {
    ///     azure_rbac_enabled     = true
    ///     admin_group_object_ids = ["00000000-0000-0000-0000-000000000000"]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`:
    ///   `azure_active_directory_role_based_access_control.azure_rbac_enabled`
    ///   (optional, off unless `true`); in 3.x, `managed` (default `false`)
    ///   selects the legacy integration, without Azure RBAC; 4.0 removed it
    /// - AKS API, `aadProfile.enableAzureRBAC`
    /// - CIS AKS Benchmark v1.8.0, 5.5.2 (use Azure RBAC for Kubernetes
    ///   authorization)
    /// - Azure documentation, "Use Azure role-based access control for
    ///   Kubernetes Authorization"
    pub static RULE = Rule {
        id: "AKS021",
        name: "aks-azure-rbac-disabled",
        severity: Severity::Medium,
        summary: "AKS cluster does not authorize Kubernetes requests with Azure RBAC",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const BLOCK: &str = "azure_active_directory_role_based_access_control";

const AZURE_RBAC: Flag = Flag {
    names: &["azure_rbac_enabled"],
    default: false,
    secure: true,
    consequence: "Kubernetes RoleBindings, not Azure role assignments, decide what users may do",
};

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    let Some(body) = cluster(resource) else {
        return;
    };
    // A plan may know the whole block only after apply.
    if let Setting::Unknown(attribute) = setting(body, &[BLOCK]) {
        return undetermined(out, attribute, "");
    }
    let Some(integration) = body.block(BLOCK) else {
        return;
    };
    match setting(integration, &["managed"]) {
        Setting::Unknown(attribute) => return undetermined(out, attribute, BLOCK),
        Setting::Known(attribute, value) if value.as_bool() == Some(false) => {
            return report_attribute(
                out,
                resource,
                attribute,
                BLOCK,
                "managed is false: the legacy Entra ID integration cannot authorize with Azure RBAC"
                    .to_string(),
            );
        }
        Setting::Known(..) | Setting::Absent => {}
    }
    AZURE_RBAC.check(resource, integration, BLOCK, out);
}
