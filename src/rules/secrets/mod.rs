//! Secrets hygiene: secrets committed in clear, credentials in literals, key
//! material in manifests, and how workloads reach external secret stores.

mod key_vault_identity;

use super::Rule;

/// The secrets rules, in ID order.
pub static RULES: &[&Rule] = &[&key_vault_identity::RULE];
