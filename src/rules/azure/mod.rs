//! Rules on every Azure resource, whatever its type: where Azure keeps it.

mod data_residency;

use super::Rule;
use crate::model::{TfResource, TfValue};

/// The Azure-wide rules, in ID order.
pub static RULES: &[&Rule] = &[&data_residency::RULE];

/// The `location` value of resources that Azure runs everywhere (DNS,
/// Front Door, action groups): it names no region, so no data location.
const GLOBAL: &str = "global";

/// Whether `resource` declares a region Azure keeps it in: a managed azurerm
/// resource whose `location` is not `global` (written, or known only after
/// apply). AZ001 examines exactly these.
pub(crate) fn has_region(resource: &TfResource) -> bool {
    if resource.data || !resource.resource_type.starts_with("azurerm_") {
        return false;
    }
    match resource.body.attribute("location").map(|a| &a.value) {
        None | Some(TfValue::Null) => false,
        Some(TfValue::String(location)) => normalized(location) != GLOBAL,
        Some(_) => true,
    }
}

/// A location as Azure compares it: `West Europe` and `westeurope` are the
/// same region.
fn normalized(location: &str) -> String {
    location
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}
