use super::REGISTRY;
use crate::model::TfResource;
use crate::rules::azurerm::{Setting, is_managed, report, setting, undetermined};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_container_registry` resources with `admin_enabled = true`. The
    /// provider's default is `false`.
    ///
    /// ## Why it matters
    /// The admin user is one shared account per registry, with two static
    /// passwords that can push, pull and delete every image. It belongs to no
    /// person or workload, so its use cannot be attributed, scoped or protected
    /// by Conditional Access, and it ends up in CI variables and
    /// `imagePullSecrets` where it leaks. Whoever holds it can replace an image
    /// the cluster runs. Clusters pull with their kubelet identity (`AcrPull`)
    /// and pipelines push with their own identities instead. High: one leaked
    /// static password lets an attacker replace what production runs.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_container_registry" "main" {
    ///   name                = "acrshopprod"
    ///   resource_group_name = "rg-shop-prod"
    ///   location            = "westeurope"
    ///   sku                 = "Premium"
    ///   admin_enabled       = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "azurerm_container_registry" "main" {
    ///   name                = "acrshopprod"
    ///   resource_group_name = "rg-shop-prod"
    ///   location            = "westeurope"
    ///   sku                 = "Premium"
    ///   admin_enabled       = false
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_container_registry`: `admin_enabled`
    ///   (default `false`)
    /// - Azure Container Registry documentation, "Authenticate with an Azure
    ///   container registry": admin account
    /// - CIS AKS Benchmark 5.1.2 (minimize user access to Azure Container
    ///   Registry)
    /// - Azure Policy dc921057-6b28-4fbe-9b83-f7bec05db6c2 (container
    ///   registries should have local admin account disabled)
    pub static RULE = Rule {
        id: "ACR001",
        name: "registry-admin-user-enabled",
        severity: Severity::High,
        summary: "Container registry has its shared admin user enabled",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const FIELD: &str = "admin_enabled";

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    if !is_managed(resource, REGISTRY) {
        return;
    }
    match setting(&resource.body, &[FIELD]) {
        Setting::Unknown(attribute) => undetermined(out, attribute, FIELD),
        Setting::Set(attribute) if attribute.value.as_bool() == Some(true) => report(
            out,
            resource,
            attribute.span,
            Some(attribute),
            FIELD,
            "admin_enabled is true: a shared admin account can push and pull every image"
                .to_string(),
        ),
        Setting::Set(_) | Setting::Default => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TfValue;
    use crate::rules::azurerm::test_support::{attr, resource, run};

    #[test]
    fn reports_the_admin_user() {
        let registry = |attributes| resource(REGISTRY, "acr", attributes, vec![]);
        let (found, notes) = run(
            &RULE,
            &[
                registry(vec![attr(FIELD, TfValue::Bool(true), 6)]),
                registry(vec![attr(FIELD, TfValue::String("true".into()), 7)]),
                registry(vec![attr(FIELD, TfValue::Bool(false), 8)]),
                registry(vec![]),
                registry(vec![attr(FIELD, TfValue::Unknown, 9)]),
            ],
        );
        let lines: Vec<u32> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [6, 7]);
        assert_eq!(notes, [9]);
    }
}
