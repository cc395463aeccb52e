use super::CLUSTER;
use crate::model::TfResource;
use crate::rules::azurerm::{Setting, is, is_managed, related, setting, undetermined};
use crate::rules::{Context, Findings, Related, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_monitor_private_link_scope` resources (AMPLS) whose
    /// `ingestion_access_mode` or `query_access_mode` is `PrivateOnly` while a
    /// cluster of the scan runs the Defender sensor (a `microsoft_defender`
    /// block on an `azurerm_kubernetes_cluster`). Both modes default to
    /// `Open`. The finding points at the mode; the related locations are the
    /// clusters' `microsoft_defender` blocks.
    ///
    /// ## Why it matters
    /// Defender for Containers does not support a private-only Azure Monitor
    /// Private Link Scope at the time of writing (its network requirements ask
    /// for the scope's ingestion and query access modes to stay open; check
    /// the current Defender for Containers documentation). With `PrivateOnly`,
    /// the sensor's security events never reach Defender for Cloud, so runtime
    /// alerts silently stop while the cluster looks protected. Medium, as for
    /// Defender switched off (DEF001).
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                = "aks-shop-prod"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-shop-prod"
    ///   dns_prefix          = "shop"
    ///
    ///   default_node_pool {
    ///     name       = "system"
    ///     vm_size    = "Standard_D4s_v5"
    ///     node_count = 3
    ///   }
    ///
    ///   identity {
    ///     type = "SystemAssigned"
    ///   }
    ///
    ///   microsoft_defender {
    ///     log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/logs"
    ///   }
    /// }
    ///
    /// resource "azurerm_monitor_private_link_scope" "main" {
    ///   name                  = "ampls-shop-prod"
    ///   resource_group_name   = "rg-shop-prod"
    ///   ingestion_access_mode = "PrivateOnly"
    ///   query_access_mode     = "Open"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Keep the scope's access modes `Open` (private endpoints still carry the
    /// traffic of the networks connected to them).
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                = "aks-shop-prod"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-shop-prod"
    ///   dns_prefix          = "shop"
    ///
    ///   default_node_pool {
    ///     name       = "system"
    ///     vm_size    = "Standard_D4s_v5"
    ///     node_count = 3
    ///   }
    ///
    ///   identity {
    ///     type = "SystemAssigned"
    ///   }
    ///
    ///   microsoft_defender {
    ///     log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/logs"
    ///   }
    /// }
    ///
    /// resource "azurerm_monitor_private_link_scope" "main" {
    ///   name                  = "ampls-shop-prod"
    ///   resource_group_name   = "rg-shop-prod"
    ///   ingestion_access_mode = "Open"
    ///   query_access_mode     = "Open"
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_monitor_private_link_scope`:
    ///   `ingestion_access_mode`, `query_access_mode` (`Open` or `PrivateOnly`,
    ///   default `Open`); `azurerm_kubernetes_cluster`: `microsoft_defender`
    /// - Microsoft Defender for Cloud documentation, Defender for Containers
    ///   network requirements (Azure Monitor Private Link Scope)
    /// - Azure Monitor documentation, "Design your Azure Private Link setup":
    ///   access modes
    pub static RULE = Rule {
        id: "MON001",
        name: "private-link-scope-blocks-defender",
        severity: Severity::Medium,
        summary: "Private-only Azure Monitor Private Link Scope cuts off the Defender sensor",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const MODES: [&str; 2] = ["ingestion_access_mode", "query_access_mode"];

fn check(ctx: &Context, scope: &TfResource, out: &mut Findings) {
    if !is_managed(scope, "azurerm_monitor_private_link_scope") {
        return;
    }
    let sensors: Vec<Related> = ctx
        .repo
        .terraform_resources()
        .iter()
        .filter(|r| is_managed(r, CLUSTER))
        .filter_map(|cluster| {
            let defender = cluster.body.block("microsoft_defender")?;
            Some(Related {
                span: defender.span,
                message: format!("{} runs the Defender sensor", cluster.address),
            })
        })
        .collect();
    if sensors.is_empty() {
        return;
    }
    for mode in MODES {
        match setting(&scope.body, &[mode]) {
            Setting::Unknown(attribute) => undetermined(out, attribute, mode),
            Setting::Set(attribute) if is(&attribute.value, "PrivateOnly") => {
                let mut places = sensors.clone();
                places.extend(related(scope, Some(attribute)));
                out.report_related(
                    attribute.span,
                    mode.to_string(),
                    format!(
                        "{mode} is \"PrivateOnly\": the Defender sensor's data cannot pass through this Azure Monitor Private Link Scope"
                    ),
                    places,
                );
            }
            Setting::Set(_) | Setting::Default => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TfValue;
    use crate::rules::azurerm::test_support::{attr, block, resource, run, string};

    fn scope(ingestion: Option<TfValue>, query: Option<TfValue>) -> TfResource {
        let mut attributes = Vec::new();
        attributes.extend(ingestion.map(|v| attr(MODES[0], v, 3)));
        attributes.extend(query.map(|v| attr(MODES[1], v, 4)));
        resource(
            "azurerm_monitor_private_link_scope",
            "ampls",
            attributes,
            vec![],
        )
    }

    fn cluster(defender: bool) -> TfResource {
        let blocks = if defender {
            vec![block("microsoft_defender", 12, vec![])]
        } else {
            vec![]
        };
        resource(CLUSTER, "main", vec![], blocks)
    }

    #[test]
    fn reports_private_only_modes_when_defender_runs() {
        let private = || Some(string("PrivateOnly"));
        let (found, notes) = run(&RULE, &[cluster(true), scope(private(), private())]);
        let lines: Vec<u32> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [3, 4]);
        assert!(notes.is_empty());
        let (found, _) = run(
            &RULE,
            &[cluster(true), scope(private(), Some(string("Open")))],
        );
        assert_eq!(found.len(), 1);
        // No Defender sensor, or open modes: nothing to say.
        assert_eq!(
            run(&RULE, &[cluster(false), scope(private(), private())]),
            (vec![], vec![])
        );
        assert_eq!(
            run(&RULE, &[cluster(true), scope(None, None)]),
            (vec![], vec![])
        );
        let (found, notes) = run(&RULE, &[cluster(true), scope(Some(TfValue::Unknown), None)]);
        assert!(found.is_empty());
        assert_eq!(notes, [3]);
    }
}
