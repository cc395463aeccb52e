use super::REGISTRY;
use crate::model::TfResource;
use crate::rules::azurerm::{Firewall, check_public_network};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_container_registry` resources reachable from every network:
    /// `public_network_access_enabled` is not `false` (the provider's default
    /// is `true`) and no `network_rule_set` block sets `default_action =
    /// "Deny"` (its default is `Allow`). A `network_rule_set` that allows by
    /// default is reported on its `default_action` (or on the block when the
    /// attribute is left to its default).
    ///
    /// ## Why it matters
    /// A public registry can be reached by anyone holding a leaked token or
    /// pipeline credential, from anywhere: they can pull private images and, with
    /// push rights, plant a backdoored image the cluster will run. Limiting the
    /// registry to private endpoints or a list of networks (Premium SKU) makes a
    /// stolen credential useless outside them. Medium: requests are still
    /// authenticated.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_container_registry" "main" {
    ///   name                = "acrshopprod"
    ///   resource_group_name = "rg-shop-prod"
    ///   location            = "westeurope"
    ///   sku                 = "Premium"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Disable public network access and pull through a private endpoint, or
    /// deny by default and allow the networks that need the registry.
    /// ```hcl
    /// resource "azurerm_container_registry" "main" {
    ///   name                          = "acrshopprod"
    ///   resource_group_name           = "rg-shop-prod"
    ///   location                      = "westeurope"
    ///   sku                           = "Premium"
    ///   public_network_access_enabled = false
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_container_registry`:
    ///   `public_network_access_enabled` (default `true`),
    ///   `network_rule_set.default_action` (default `Allow`; Premium SKU only)
    /// - Azure Container Registry documentation, "Configure public IP network
    ///   rules" and "Connect privately to an Azure container registry using Azure
    ///   Private Link"
    /// - Azure Policy 0fdf0491-d080-4575-b627-ad0e843cba0f (public network
    ///   access disabled) and d0793b48-0edc-4296-a390-4c75d1bdfd71 (no
    ///   unrestricted network access)
    pub static RULE = Rule {
        id: "ACR002",
        name: "registry-public-network-access",
        severity: Severity::Medium,
        summary: "Container registry accepts connections from every network",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const FIREWALL: Firewall = Firewall {
    resource_type: REGISTRY,
    product: "registry",
    block: "network_rule_set",
    missing_default_action: "registry accepts connections from every network: network_rule_set.default_action is not set (provider default: \"Allow\")",
};

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    check_public_network(&FIREWALL, resource, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{TfAttribute, TfValue};
    use crate::rules::azurerm::test_support::{attr, block, resource, run, string};

    fn registry(attributes: Vec<TfAttribute>, rules: Option<Vec<TfAttribute>>) -> TfResource {
        let blocks = rules
            .map(|attributes| vec![block("network_rule_set", 20, attributes)])
            .unwrap_or_default();
        resource(REGISTRY, "acr", attributes, blocks)
    }

    #[test]
    fn reports_registries_open_to_every_network() {
        let deny = || Some(vec![attr("default_action", string("Deny"), 21)]);
        let cases = [
            (registry(vec![], None), vec![1]),
            (registry(vec![], Some(vec![])), vec![20]),
            (
                registry(
                    vec![],
                    Some(vec![attr("default_action", string("Allow"), 21)]),
                ),
                vec![21],
            ),
            (registry(vec![], deny()), vec![]),
            (
                registry(
                    vec![attr(
                        "public_network_access_enabled",
                        TfValue::Bool(false),
                        5,
                    )],
                    None,
                ),
                vec![],
            ),
            (
                registry(
                    vec![attr(
                        "public_network_access_enabled",
                        TfValue::Bool(true),
                        5,
                    )],
                    deny(),
                ),
                vec![],
            ),
        ];
        for (index, (resource, expected)) in cases.into_iter().enumerate() {
            let (found, _) = run(&RULE, &[resource]);
            let lines: Vec<u32> = found.iter().map(|(line, _)| *line).collect();
            assert_eq!(lines, expected, "case {index}: {found:?}");
        }
        let (found, notes) = run(
            &RULE,
            &[registry(
                vec![attr("public_network_access_enabled", TfValue::Unknown, 5)],
                None,
            )],
        );
        assert!(found.is_empty());
        assert_eq!(notes, [5]);
    }
}
