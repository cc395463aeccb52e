//! Azure Container Registry (`azurerm_container_registry`): who may push and
//! pull images, and from which networks.

mod admin_user;
mod anonymous_pull;
mod public_network;

use super::Rule;

/// The container registry rules, in ID order.
pub static RULES: &[&Rule] = &[
    &admin_user::RULE,
    &public_network::RULE,
    &anonymous_pull::RULE,
];

/// The resource type the rules check.
const REGISTRY: &str = "azurerm_container_registry";
