//! Microsoft Defender for Cloud plans (`azurerm_security_center_subscription_pricing`).

mod containers_plan;

use super::Rule;

/// The Defender rules, in ID order.
pub static RULES: &[&Rule] = &[&containers_plan::RULE];
