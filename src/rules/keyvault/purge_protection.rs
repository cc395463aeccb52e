use super::KEY_VAULT;
use crate::model::TfResource;
use crate::rules::azurerm::{Setting, is_managed, report, setting, undetermined};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_key_vault` resources whose `purge_protection_enabled` is not
    /// `true`. The provider's default is `false`.
    ///
    /// ## Why it matters
    /// Soft delete (always on since azurerm 3.0) keeps a deleted vault and its
    /// keys, secrets and certificates for `soft_delete_retention_days`, but
    /// without purge protection anyone allowed to delete can also purge them at
    /// once. A compromised identity, or a ransomware operator, can then destroy
    /// the keys that encrypt the cluster's secrets (KMS) and disks for good.
    /// With purge protection on, nothing is purged before the retention period
    /// ends, not even by an administrator. It cannot be turned off once on.
    /// Medium: the loss needs a privileged identity first, but it is final.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_key_vault" "main" {
    ///   name                = "kv-shop-prod"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-shop-prod"
    ///   tenant_id           = "00000000-0000-0000-0000-000000000000"
    ///   sku_name            = "standard"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "azurerm_key_vault" "main" {
    ///   name                     = "kv-shop-prod"
    ///   location                 = "westeurope"
    ///   resource_group_name      = "rg-shop-prod"
    ///   tenant_id                = "00000000-0000-0000-0000-000000000000"
    ///   sku_name                 = "standard"
    ///   purge_protection_enabled = true
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_key_vault`: `purge_protection_enabled`
    ///   (default `false`)
    /// - Azure Key Vault documentation, "Azure Key Vault recovery overview"
    /// - Azure Policy 0b60c0b2-2dc2-4e1c-b5c9-abbed971de53 (Key vaults should
    ///   have deletion protection enabled)
    pub static RULE = Rule {
        id: "KV001",
        name: "key-vault-purge-protection-disabled",
        severity: Severity::Medium,
        summary: "Key Vault can be purged right after deletion (no purge protection)",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const FIELD: &str = "purge_protection_enabled";

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    if !is_managed(resource, KEY_VAULT) {
        return;
    }
    match setting(&resource.body, &[FIELD]) {
        Setting::Unknown(attribute) => undetermined(out, attribute, FIELD),
        Setting::Set(attribute) if attribute.value.as_bool() == Some(true) => {}
        Setting::Set(attribute) => report(
            out,
            resource,
            attribute.span,
            Some(attribute),
            FIELD,
            format!(
                "purge_protection_enabled is {}: deleted keys and secrets can be purged at once",
                attribute.value
            ),
        ),
        Setting::Default => report(
            out,
            resource,
            resource.body.span,
            None,
            FIELD,
            "purge_protection_enabled is not set (provider default: false): deleted keys and secrets can be purged at once"
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
    fn reports_purge_protection_off_or_left_to_the_default() {
        let world = [
            resource("azurerm_key_vault", "absent", vec![], vec![]),
            resource(
                "azurerm_key_vault",
                "off",
                vec![attr(FIELD, TfValue::Bool(false), 7)],
                vec![],
            ),
            resource(
                "azurerm_key_vault",
                "on",
                vec![attr(FIELD, TfValue::Bool(true), 9)],
                vec![],
            ),
            resource(
                "azurerm_key_vault",
                "unknown",
                vec![attr(FIELD, TfValue::Unknown, 11)],
                vec![],
            ),
            resource("azurerm_storage_account", "other", vec![], vec![]),
        ];
        let (found, notes) = run(&RULE, &world);
        let lines: Vec<u32> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [1, 7]);
        assert!(found[0].1.contains("provider default: false"));
        assert!(found[1].1.contains("is false"));
        assert_eq!(notes, [11]);
    }

    #[test]
    fn skips_data_sources() {
        let mut vault = resource("azurerm_key_vault", "existing", vec![], vec![]);
        vault.data = true;
        assert_eq!(run(&RULE, &[vault]), (vec![], vec![]));
    }
}
