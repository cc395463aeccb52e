use super::KEY_VAULT;
use crate::model::TfResource;
use crate::rules::azurerm::{Setting, is_managed, report, setting, undetermined};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_key_vault` resources that use vault access policies instead of
    /// Azure RBAC for data-plane permissions: the RBAC switch is not `true`.
    /// It is spelled `enable_rbac_authorization` in azurerm 3.x and 4.x and
    /// `rbac_authorization_enabled` from 4.42 (the only spelling in 5.x, where
    /// it is required); both are understood, and the default is `false`.
    ///
    /// ## Why it matters
    /// Access policies grant permissions on the whole vault (every secret, every
    /// key) and can be edited by anyone with the Contributor role on the vault,
    /// so a management-plane role quietly becomes access to every secret. Azure
    /// RBAC scopes roles down to one secret or key, separates who manages the
    /// vault from who reads it, and goes through the same Privileged Identity
    /// Management and audit as the rest of Azure. Medium: it widens what a
    /// compromised management role reaches rather than opening the vault.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_key_vault" "main" {
    ///   name                      = "kv-shop-prod"
    ///   location                  = "westeurope"
    ///   resource_group_name       = "rg-shop-prod"
    ///   tenant_id                 = "00000000-0000-0000-0000-000000000000"
    ///   sku_name                  = "standard"
    ///   enable_rbac_authorization = false
    /// }
    /// ```
    ///
    /// ## Fix
    /// Turn on Azure RBAC, then grant roles such as "Key Vault Secrets User" on
    /// the vault or on single secrets (`azurerm_role_assignment`).
    /// ```hcl
    /// resource "azurerm_key_vault" "main" {
    ///   name                       = "kv-shop-prod"
    ///   location                   = "westeurope"
    ///   resource_group_name        = "rg-shop-prod"
    ///   tenant_id                  = "00000000-0000-0000-0000-000000000000"
    ///   sku_name                   = "standard"
    ///   rbac_authorization_enabled = true
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_key_vault`: `enable_rbac_authorization`
    ///   (3.x–4.x), `rbac_authorization_enabled` (4.42+, required in 5.0)
    /// - Azure Key Vault documentation, "Azure role-based access control (Azure
    ///   RBAC) vs. access policies"
    /// - Azure Policy 12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5 (Azure Key Vault
    ///   should use RBAC permission model)
    pub static RULE = Rule {
        id: "KV003",
        name: "key-vault-access-policies",
        severity: Severity::Medium,
        summary: "Key Vault uses access policies instead of Azure RBAC",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

/// The spellings of the switch, newest first.
const SPELLINGS: [&str; 2] = ["rbac_authorization_enabled", "enable_rbac_authorization"];

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    if !is_managed(resource, KEY_VAULT) {
        return;
    }
    // A plan from azurerm 4.42+ holds both spellings; either one true is enough.
    let enabled = SPELLINGS.iter().any(|name| {
        resource
            .body
            .attribute(name)
            .is_some_and(|a| a.value.as_bool() == Some(true))
    });
    if enabled {
        return;
    }
    match setting(&resource.body, &SPELLINGS) {
        Setting::Unknown(attribute) => undetermined(out, attribute, &attribute.name),
        Setting::Set(attribute) => report(
            out,
            resource,
            attribute.span,
            Some(attribute),
            &attribute.name,
            format!(
                "{} is {}: the vault's permissions are access policies, not Azure RBAC",
                attribute.name, attribute.value
            ),
        ),
        Setting::Default => report(
            out,
            resource,
            resource.body.span,
            None,
            SPELLINGS[0],
            "rbac_authorization_enabled is not set (provider default: false): the vault's permissions are access policies, not Azure RBAC"
                .to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TfValue;
    use crate::rules::azurerm::test_support::{attr, resource, run};

    #[test]
    fn understands_both_spellings() {
        let vault = |attributes| resource(KEY_VAULT, "kv", attributes, vec![]);
        let cases = [
            (vault(vec![]), vec![1]),
            (
                vault(vec![attr(SPELLINGS[1], TfValue::Bool(false), 4)]),
                vec![4],
            ),
            (
                vault(vec![attr(SPELLINGS[0], TfValue::Bool(false), 5)]),
                vec![5],
            ),
            (
                vault(vec![attr(SPELLINGS[1], TfValue::Bool(true), 4)]),
                vec![],
            ),
            (
                vault(vec![attr(SPELLINGS[0], TfValue::Bool(true), 5)]),
                vec![],
            ),
            (
                vault(vec![
                    attr(SPELLINGS[1], TfValue::Bool(true), 4),
                    attr(SPELLINGS[0], TfValue::Bool(false), 5),
                ]),
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
            &[vault(vec![attr(SPELLINGS[1], TfValue::Unknown, 4)])],
        );
        assert!(found.is_empty());
        assert_eq!(notes, [4]);
    }
}
