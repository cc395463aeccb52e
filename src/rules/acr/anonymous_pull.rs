use super::REGISTRY;
use crate::model::TfResource;
use crate::rules::azurerm::{Setting, is_managed, report, setting, undetermined};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_container_registry` resources with `anonymous_pull_enabled =
    /// true`. The provider's default is `false`; the setting needs the
    /// Standard or Premium SKU.
    ///
    /// ## Why it matters
    /// Anonymous pull lets anyone who can reach the registry download every
    /// image without credentials. Private images hold the application's code,
    /// its dependencies and their versions (a map of what to exploit), and
    /// too often configuration or credentials baked into a layer. High: no
    /// credential at all is needed.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_container_registry" "main" {
    ///   name                   = "acrshopprod"
    ///   resource_group_name    = "rg-shop-prod"
    ///   location               = "westeurope"
    ///   sku                    = "Standard"
    ///   anonymous_pull_enabled = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove the setting (or set it to `false`); give clusters and pipelines
    /// their own identities with the `AcrPull` role.
    /// ```hcl
    /// resource "azurerm_container_registry" "main" {
    ///   name                = "acrshopprod"
    ///   resource_group_name = "rg-shop-prod"
    ///   location            = "westeurope"
    ///   sku                 = "Standard"
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_container_registry`:
    ///   `anonymous_pull_enabled` (default `false`)
    /// - Azure Container Registry documentation, "Make your container registry
    ///   content publicly available" (anonymous pull access)
    /// - CIS AKS Benchmark 5.1.2 (minimize user access to Azure Container
    ///   Registry)
    /// - Azure Policy 9f2dea28-e834-476c-99c5-3507b4728395 (container
    ///   registries should have anonymous authentication disabled)
    pub static RULE = Rule {
        id: "ACR003",
        name: "registry-anonymous-pull",
        severity: Severity::High,
        summary: "Container registry lets anyone pull images without credentials",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const FIELD: &str = "anonymous_pull_enabled";

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
            "anonymous_pull_enabled is true: anyone who reaches the registry can pull its images"
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
    fn reports_anonymous_pull() {
        let registry = |attributes| resource(REGISTRY, "acr", attributes, vec![]);
        let (found, notes) = run(
            &RULE,
            &[
                registry(vec![attr(FIELD, TfValue::Bool(true), 6)]),
                registry(vec![attr(FIELD, TfValue::Bool(false), 8)]),
                registry(vec![]),
                registry(vec![attr(FIELD, TfValue::Unknown, 9)]),
            ],
        );
        let lines: Vec<u32> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [6]);
        assert_eq!(notes, [9]);
    }
}
