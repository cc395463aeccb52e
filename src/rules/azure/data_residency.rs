use super::{GLOBAL, has_region, normalized};
use crate::model::{TfBlock, TfResource, TfValue};
use crate::rules::azurerm::{Setting, is_managed, report, setting, undetermined};
use crate::rules::{Context, Findings, ParamDefault, Parameter, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Managed `azurerm_*` resources whose `location` is not one of the
    /// `allowed_locations` parameter, and the replicas they declare in another
    /// region: `azurerm_container_registry` `georeplications` blocks and
    /// `azurerm_cosmosdb_account` `geo_location` blocks whose `location` is
    /// not. Locations compare the
    /// way Azure compares them: without case or spaces (`"West Europe"` is
    /// `westeurope`). Resources without a `location`, and those located in
    /// `global` (DNS zones, Front Door, action groups), name no region and are
    /// skipped; a location known only after apply is a note, not a finding
    /// (`location = azurerm_resource_group.main.location` is judged at the
    /// resource group). An empty `allowed_locations` turns the rule off.
    ///
    /// The default list is the Azure public-cloud regions that Microsoft's
    /// "Azure regions list" (learn.microsoft.com, reliability documentation,
    /// September 2025) places in the European Economic Area (the 27 EU
    /// members, Iceland, Liechtenstein and Norway): `austriaeast` (Vienna),
    /// `belgiumcentral` (Brussels), `denmarkeast` (Copenhagen, listed as
    /// coming soon), `francecentral` (Paris), `francesouth` (Marseille),
    /// `germanynorth` (Berlin), `germanywestcentral` (Frankfurt), `italynorth`
    /// (Milan), `northeurope` (Ireland), `norwayeast` and `norwaywest`
    /// (Norway), `polandcentral` (Warsaw), `spaincentral` (Madrid),
    /// `swedencentral` (Gävle) and `swedensouth` (Sweden Central's restricted
    /// pair), `westeurope` (Netherlands). Switzerland (`switzerlandnorth`,
    /// `switzerlandwest`) and the United Kingdom (`uksouth`, `ukwest`) are not
    /// in the EEA, even though the European Commission has adequacy decisions
    /// for both: add them in `.vigie.yaml` if your legal basis allows. The
    /// parameter replaces the default list, so list the EEA regions you keep
    /// too.
    ///
    /// ## Why it matters
    /// GDPR Chapter V (articles 44 to 49) allows personal data to leave the
    /// EEA only under an adequacy decision, appropriate safeguards or a listed
    /// derogation, and the HDS v2 sovereignty requirements ask certified hosts
    /// to keep health data in the EEA. A resource's `location` is where Azure
    /// stores it and the data it holds; a registry's geo-replicas copy every
    /// image, and a Cosmos DB account's geo-locations every item, to their
    /// regions. A region outside the list is a transfer that
    /// needs a documented legal basis, or a typo that moves data abroad.
    /// Medium: not a weakness an attacker can use, but an unlawful transfer
    /// when the resource holds personal data, which Vigie cannot tell. The
    /// scan sees where resources are declared, not where data flows, where
    /// backups and paired-region replicas go, or who reaches it from abroad.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_storage_account" "exports" {
    ///   name                     = "stshopexports"
    ///   resource_group_name      = "rg-shop-prod"
    ///   location                 = "East US"
    ///   account_tier             = "Standard"
    ///   account_replication_type = "ZRS"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Declare the resource in an allowed region, or add the region to
    /// `allowed_locations` in `.vigie.yaml` once the transfer has a legal basis.
    /// ```hcl
    /// resource "azurerm_storage_account" "exports" {
    ///   name                     = "stshopexports"
    ///   resource_group_name      = "rg-shop-prod"
    ///   location                 = "France Central"
    ///   account_tier             = "Standard"
    ///   account_replication_type = "ZRS"
    /// }
    /// ```
    ///
    /// ## References
    /// - Regulation (EU) 2016/679 (GDPR), Chapter V, articles 44 to 49
    /// - Agreement on the European Economic Area (EU members, Iceland,
    ///   Liechtenstein, Norway)
    /// - Microsoft Learn, "Azure regions list" (physical location and
    ///   programmatic name of each region)
    /// - azurerm provider: `location` on every regional resource;
    ///   `azurerm_container_registry` `georeplications.location`;
    ///   `azurerm_cosmosdb_account` `geo_location.location`
    /// - Azure Policy e56962a6-4747-49cd-b67b-bf8b01975c4c (allowed locations)
    pub static RULE = Rule {
        id: "AZ001",
        name: "location-not-allowed",
        severity: Severity::Medium,
        summary: "Azure resource or replica is located outside the allowed regions",
        frameworks: &[],
        parameters: &[Parameter {
            name: "allowed_locations",
            description: "Azure regions resources may be located in (default: the regions in the European Economic Area)",
            default: ParamDefault::List(&[
                "austriaeast",
                "belgiumcentral",
                "denmarkeast",
                "francecentral",
                "francesouth",
                "germanynorth",
                "germanywestcentral",
                "italynorth",
                "northeurope",
                "norwayeast",
                "norwaywest",
                "polandcentral",
                "spaincentral",
                "swedencentral",
                "swedensouth",
                "westeurope",
            ]),
        }],
        check: crate::rules::Check::Terraform(check),
    };
}

const LOCATION: &str = "location";

/// The blocks that copy a resource's data to another region: resource type,
/// block, and what the copy holds.
const REPLICAS: &[(&str, &str, &str)] = &[
    (
        "azurerm_container_registry",
        "georeplications",
        "the registry copies every image there",
    ),
    (
        "azurerm_cosmosdb_account",
        "geo_location",
        "the account replicates its data there",
    ),
];

fn check(ctx: &Context, resource: &TfResource, out: &mut Findings) {
    if !has_region(resource) {
        return;
    }
    let allowed: Vec<String> = ctx
        .list("allowed_locations")
        .iter()
        .map(|l| normalized(l))
        .collect();
    if allowed.is_empty() {
        return;
    }
    judge(
        resource,
        &resource.body,
        LOCATION,
        "Azure stores the resource and its data there",
        &allowed,
        out,
    );
    for (resource_type, kind, consequence) in REPLICAS {
        if !is_managed(resource, resource_type) {
            continue;
        }
        // A plan may know the replicas only after apply.
        if let Setting::Unknown(attribute) = setting(&resource.body, &[kind]) {
            return undetermined(out, attribute, kind);
        }
        let field = format!("{kind}.{LOCATION}");
        for replica in resource.body.blocks_of(kind) {
            judge(resource, replica, &field, consequence, &allowed, out);
        }
    }
}

/// Reports the `location` of `block` unless it is allowed or names no region.
fn judge(
    resource: &TfResource,
    block: &TfBlock,
    field: &str,
    consequence: &str,
    allowed: &[String],
    out: &mut Findings,
) {
    let Some(attribute) = block.attribute(LOCATION) else {
        return;
    };
    match &attribute.value {
        TfValue::Null => {}
        TfValue::String(location) => {
            let region = normalized(location);
            if region == GLOBAL || allowed.contains(&region) {
                return;
            }
            report(
                out,
                resource,
                attribute.span,
                Some(attribute),
                field,
                format!(
                    "{field} is {}, not an allowed location: {consequence}",
                    attribute.value
                ),
            );
        }
        value if value.contains_unknown() => undetermined(out, attribute, field),
        value => out.undetermined(
            attribute.span,
            field.to_string(),
            format!("{field} is {value}, not a region name"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TfAttribute;
    use crate::rules::azurerm::test_support::{attr, block, resource, run, run_with, string};
    use crate::rules::{ActiveRule, ParamValue};

    fn account(attributes: Vec<TfAttribute>) -> TfResource {
        resource("azurerm_storage_account", "st", attributes, vec![])
    }

    #[test]
    fn reports_locations_outside_the_eea() {
        let mut data = account(vec![attr(LOCATION, string("eastus"), 2)]);
        data.data = true;
        let (found, notes) = run(
            &RULE,
            &[
                account(vec![attr(LOCATION, string("East US"), 3)]),
                account(vec![attr(LOCATION, string("uksouth"), 4)]),
                account(vec![attr(LOCATION, string("West Europe"), 5)]),
                account(vec![attr(LOCATION, string("FRANCECENTRAL"), 6)]),
                account(vec![attr(LOCATION, string("Global"), 7)]),
                account(vec![attr(LOCATION, TfValue::Unknown, 8)]),
                account(vec![attr(LOCATION, TfValue::Null, 9)]),
                account(vec![]),
                data,
                resource(
                    "google_storage_bucket",
                    "b",
                    vec![attr(LOCATION, string("US"), 10)],
                    vec![],
                ),
            ],
        );
        let lines: Vec<u32> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [3, 4]);
        assert_eq!(
            found[0].1,
            "location is \"East US\", not an allowed location: Azure stores the resource and its data there"
        );
        assert_eq!(notes, [8]);
    }

    #[test]
    fn reports_registry_and_database_replicas() {
        let registry = resource(
            "azurerm_container_registry",
            "acr",
            vec![attr(LOCATION, string("westeurope"), 2)],
            vec![
                block(
                    "georeplications",
                    5,
                    vec![attr(LOCATION, string("northeurope"), 6)],
                ),
                block(
                    "georeplications",
                    8,
                    vec![attr(LOCATION, string("eastus2"), 9)],
                ),
                block(
                    "georeplications",
                    11,
                    vec![attr(LOCATION, TfValue::Unknown, 12)],
                ),
            ],
        );
        let cosmos = resource(
            "azurerm_cosmosdb_account",
            "db",
            vec![attr(LOCATION, string("francecentral"), 2)],
            vec![
                block(
                    "geo_location",
                    5,
                    vec![attr(LOCATION, string("francecentral"), 6)],
                ),
                block(
                    "geo_location",
                    8,
                    vec![attr(LOCATION, string("centralus"), 9)],
                ),
            ],
        );
        let (found, notes) = run(&RULE, &[registry, cosmos]);
        let lines: Vec<u32> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [9, 9]);
        assert!(
            found[1]
                .1
                .starts_with("geo_location.location is \"centralus\"")
        );
        assert!(
            found[0]
                .1
                .starts_with("georeplications.location is \"eastus2\"")
        );
        assert_eq!(notes, [12]);
    }

    #[test]
    fn the_allowed_locations_are_a_parameter() {
        let mut active = ActiveRule::new(&RULE);
        let swiss = ParamValue::List(vec!["Switzerland North".into(), "westeurope".into()]);
        assert!(active.params.set("allowed_locations", swiss));
        let world = [
            account(vec![attr(LOCATION, string("switzerlandnorth"), 3)]),
            account(vec![attr(LOCATION, string("francecentral"), 4)]),
        ];
        let (found, _) = run_with(&active, &world);
        let lines: Vec<u32> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [4]);
        assert!(
            active
                .params
                .set("allowed_locations", ParamValue::List(vec![]))
        );
        assert!(run_with(&active, &world).0.is_empty());
    }
}
