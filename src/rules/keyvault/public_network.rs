use super::KEY_VAULT;
use crate::model::TfResource;
use crate::rules::azurerm::{Firewall, check_public_network};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_key_vault` resources that accept connections from every network:
    /// `public_network_access_enabled` is not `false` (the provider's default is
    /// `true`) and no `network_acls` block sets `default_action = "Deny"`.
    /// A vault with public network access disabled passes whatever its ACLs
    /// say; a `network_acls` block with `default_action = "Allow"` is reported
    /// on that attribute (its `ip_rules` and subnets then restrict nothing).
    ///
    /// ## Why it matters
    /// A vault open to the internet can be reached by anyone holding a stolen
    /// token or client secret, from anywhere, and its endpoint can be probed and
    /// password-sprayed. Denying by default, with private endpoints or a short
    /// list of networks allowed, means a leaked credential alone is not enough to
    /// read the secrets the cluster uses. Medium: every request is still
    /// authenticated; the network was the second lock.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_key_vault" "main" {
    ///   name                     = "kv-shop-prod"
    ///   location                 = "westeurope"
    ///   resource_group_name      = "rg-shop-prod"
    ///   tenant_id                = "00000000-0000-0000-0000-000000000000"
    ///   sku_name                 = "standard"
    ///   purge_protection_enabled = true
    ///
    ///   network_acls {
    ///     bypass         = "AzureServices"
    ///     default_action = "Allow"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Deny by default and allow the networks that need the vault, or disable
    /// public network access and use a private endpoint.
    /// ```hcl
    /// resource "azurerm_key_vault" "main" {
    ///   name                     = "kv-shop-prod"
    ///   location                 = "westeurope"
    ///   resource_group_name      = "rg-shop-prod"
    ///   tenant_id                = "00000000-0000-0000-0000-000000000000"
    ///   sku_name                 = "standard"
    ///   purge_protection_enabled = true
    ///
    ///   network_acls {
    ///     bypass                     = "AzureServices"
    ///     default_action             = "Deny"
    ///     virtual_network_subnet_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shop-prod/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks"]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_key_vault`: `public_network_access_enabled`
    ///   (default `true`), `network_acls.default_action` (`Allow` or `Deny`)
    /// - Azure Key Vault documentation, "Configure Azure Key Vault networking
    ///   settings"
    /// - Azure Policy 55615ac9-af46-4a59-874e-391cc3dfb490 (Key Vault should
    ///   have firewall enabled or public network access disabled) and
    ///   405c5871-3e91-4644-8a63-58e19d68ff5b (public network access disabled)
    pub static RULE = Rule {
        id: "KV002",
        name: "key-vault-public-network-access",
        severity: Severity::Medium,
        summary: "Key Vault accepts connections from every network",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const FIREWALL: Firewall = Firewall {
    resource_type: KEY_VAULT,
    product: "Key Vault",
    block: "network_acls",
    missing_default_action: "Key Vault network_acls has no default_action: nothing is denied",
};

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    check_public_network(&FIREWALL, resource, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TfValue;
    use crate::rules::azurerm::test_support::{attr, block, resource, run, string};

    fn vault(attributes: Vec<crate::model::TfAttribute>, acls: Option<&str>) -> TfResource {
        let blocks = acls
            .map(|action| {
                vec![block(
                    "network_acls",
                    20,
                    vec![attr("default_action", string(action), 21)],
                )]
            })
            .unwrap_or_default();
        resource(KEY_VAULT, "kv", attributes, blocks)
    }

    #[test]
    fn reports_vaults_open_to_every_network() {
        let cases = [
            (vault(vec![], None), vec![1]),
            (vault(vec![], Some("Allow")), vec![21]),
            (vault(vec![], Some("Deny")), vec![]),
            (vault(vec![], Some("deny")), vec![]),
            (
                vault(
                    vec![attr(
                        "public_network_access_enabled",
                        TfValue::Bool(false),
                        5,
                    )],
                    Some("Allow"),
                ),
                vec![],
            ),
            (
                vault(
                    vec![attr(
                        "public_network_access_enabled",
                        TfValue::Bool(true),
                        5,
                    )],
                    None,
                ),
                vec![1],
            ),
        ];
        for (index, (resource, expected)) in cases.into_iter().enumerate() {
            let (found, notes) = run(&RULE, &[resource]);
            let lines: Vec<u32> = found.iter().map(|(line, _)| *line).collect();
            assert_eq!(lines, expected, "case {index}: {found:?}");
            assert!(notes.is_empty());
        }
    }

    #[test]
    fn unknown_values_are_notes() {
        let (found, notes) = run(
            &RULE,
            &[vault(
                vec![attr("public_network_access_enabled", TfValue::Unknown, 5)],
                None,
            )],
        );
        assert!(found.is_empty());
        assert_eq!(notes, [5]);
        let mut unknown_action = vault(vec![], Some("Deny"));
        unknown_action.body.blocks[0].attributes[0].value = TfValue::Unknown;
        let (found, notes) = run(&RULE, &[unknown_action]);
        assert!(found.is_empty());
        assert_eq!(notes, [21]);
    }
}
