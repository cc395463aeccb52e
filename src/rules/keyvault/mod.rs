//! Azure Key Vault (`azurerm_key_vault`): deletion protection, network
//! exposure and the permission model.

mod public_network;
mod purge_protection;
mod rbac_authorization;

use super::Rule;

/// The Key Vault rules, in ID order.
pub static RULES: &[&Rule] = &[
    &purge_protection::RULE,
    &public_network::RULE,
    &rbac_authorization::RULE,
];

/// The resource type the rules check.
const KEY_VAULT: &str = "azurerm_key_vault";
