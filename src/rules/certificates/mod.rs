//! Certificates managed in the cluster: cert-manager `Certificate` objects.

mod weak_private_key;

use super::Rule;

/// The certificate rules, in ID order.
pub static RULES: &[&Rule] = &[&weak_private_key::RULE];
