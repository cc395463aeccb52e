//! Attack paths: chains of facts, across resources, that together let an
//! attacker go from outside the cluster to control of it.

mod exposed_dangerous_workload;

use super::Rule;

/// The attack path rules, in ID order.
pub static RULES: &[&Rule] = &[&exposed_dangerous_workload::RULE];
