use super::CLUSTER;
use crate::model::terraform::without_instance_keys;
use crate::model::{TfAttribute, TfBlock, TfResource};
use crate::rules::azurerm::{is, is_managed, related};
use crate::rules::{Context, Findings, Related, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources that no
    /// `azurerm_monitor_diagnostic_setting` of the scan sends the Kubernetes
    /// audit log for. A diagnostic setting counts for a cluster when its
    /// `target_resource_id` refers to the cluster (`azurerm_kubernetes_cluster.main.id`,
    /// also through a module) or is the cluster's known resource ID, and it
    /// enables the `kube-audit` or `kube-audit-admin` category, or the `audit`
    /// or `allLogs` category group: in an `enabled_log` block (azurerm 3.x and
    /// later) or a `log` block (azurerm 3.x; its `enabled` defaults to `true`).
    /// A diagnostic setting whose target cannot be related to a cluster does
    /// not count.
    ///
    /// ## Why it matters
    /// AKS runs the API server for you: its audit log (who read which secret,
    /// who created a privileged pod, who bound cluster-admin) exists only if a
    /// diagnostic setting exports it. Without it an intrusion leaves no trace
    /// to detect or investigate, and nothing proves who did what.
    /// `kube-audit-admin` leaves out read-only requests and costs much less.
    /// Medium: it removes detection and evidence, not a barrier.
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
    /// }
    ///
    /// resource "azurerm_monitor_diagnostic_setting" "aks" {
    ///   name                       = "aks-logs"
    ///   target_resource_id         = azurerm_kubernetes_cluster.main.id
    ///   log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/logs"
    ///
    ///   enabled_log {
    ///     category = "kube-apiserver"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
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
    /// }
    ///
    /// resource "azurerm_monitor_diagnostic_setting" "aks" {
    ///   name                       = "aks-logs"
    ///   target_resource_id         = azurerm_kubernetes_cluster.main.id
    ///   log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/logs"
    ///
    ///   enabled_log {
    ///     category = "kube-audit-admin"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_monitor_diagnostic_setting`:
    ///   `target_resource_id`, `enabled_log` (`category`, `category_group`),
    ///   `log` (3.x, removed in 4.0)
    /// - Azure Kubernetes Service documentation, "Monitor AKS": resource logs,
    ///   categories `kube-audit` and `kube-audit-admin`
    /// - CIS AKS Benchmark 2.1.1 (enable audit logs)
    /// - Azure Policy 245fc9df-fa96-4414-9a0b-3738c2f7341c (resource logs in
    ///   Azure Kubernetes Service should be enabled)
    pub static RULE = Rule {
        id: "AKS017",
        name: "aks-audit-logs-not-collected",
        severity: Severity::Medium,
        summary: "No diagnostic setting exports the AKS cluster's Kubernetes audit log",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

/// The log categories that carry the Kubernetes audit log.
const AUDIT_CATEGORIES: [&str; 2] = ["kube-audit", "kube-audit-admin"];
/// The category groups that include them.
const AUDIT_GROUPS: [&str; 2] = ["audit", "allLogs"];

/// What a diagnostic setting does with the audit log.
enum Audit<'a> {
    Exported,
    NotExported,
    /// A deciding value known only after apply.
    Unknown(&'a TfAttribute),
}

fn check(ctx: &Context, cluster: &TfResource, out: &mut Findings) {
    if !is_managed(cluster, CLUSTER) {
        return;
    }
    let mut silent = Vec::new();
    let mut unknown = None;
    let address = without_instance_keys(&cluster.address);
    let id = cluster.body.attribute("id").and_then(|a| a.value.as_str());
    for setting in ctx
        .repo
        .terraform_resources()
        .iter()
        .filter(|r| is_managed(r, "azurerm_monitor_diagnostic_setting"))
        .filter(|r| targets(r, &address, id))
    {
        match audit(&setting.body) {
            Audit::Exported => return,
            Audit::NotExported => silent.push(setting),
            Audit::Unknown(attribute) => unknown = unknown.or(Some(attribute)),
        }
    }
    if let Some(attribute) = unknown {
        out.undetermined(
            attribute.span,
            "enabled_log".to_string(),
            format!(
                "whether {} exports the audit log: {} is known only after apply",
                cluster.address, attribute.name
            ),
        );
        return;
    }
    let mut places: Vec<Related> = silent
        .iter()
        .map(|setting| Related {
            span: setting.body.span,
            message: format!(
                "{} targets the cluster but exports neither kube-audit nor kube-audit-admin",
                setting.address
            ),
        })
        .collect();
    places.extend(related(cluster, None));
    let message = if silent.is_empty() {
        "no diagnostic setting targets the cluster: its Kubernetes audit log is not collected"
    } else {
        "the cluster's diagnostic settings export neither kube-audit nor kube-audit-admin: its Kubernetes audit log is not collected"
    };
    out.report_related(
        cluster.body.span,
        "azurerm_monitor_diagnostic_setting".to_string(),
        message.to_string(),
        places,
    );
}

/// Whether a diagnostic setting's target is the cluster: its expression refers
/// to the cluster (`address`, without instance keys), or its value is the
/// cluster's known `id`.
fn targets(setting: &TfResource, address: &String, id: Option<&str>) -> bool {
    let Some(target) = setting.body.attribute("target_resource_id") else {
        return false;
    };
    if target.references.contains(address) {
        return true;
    }
    // Azure resource IDs compare without case.
    matches!((target.value.as_str(), id), (Some(target), Some(id)) if target.eq_ignore_ascii_case(id))
}

fn audit(setting: &TfBlock) -> Audit<'_> {
    let mut unknown = None;
    if let Some(blocks) = setting
        .attribute("enabled_log")
        .or(setting.attribute("log"))
        && blocks.value.is_unknown()
    {
        unknown = Some(blocks);
    }
    let logs = setting.blocks_of("enabled_log").map(|b| (b, None)).chain(
        setting
            .blocks_of("log")
            .map(|b| (b, b.attribute("enabled"))),
    );
    for (log, enabled) in logs {
        match enabled.map(|e| (e, e.value.as_bool())) {
            Some((e, _)) if e.value.is_unknown() => {
                unknown = unknown.or(Some(e));
                continue;
            }
            Some((_, Some(false))) => continue,
            _ => {}
        }
        for (name, accepted) in [
            ("category", &AUDIT_CATEGORIES[..]),
            ("category_group", &AUDIT_GROUPS[..]),
        ] {
            let Some(attribute) = log.attribute(name) else {
                continue;
            };
            if attribute.value.is_unknown() {
                unknown = unknown.or(Some(attribute));
            } else if accepted.iter().any(|a| is(&attribute.value, a)) {
                return Audit::Exported;
            }
        }
    }
    match unknown {
        Some(attribute) => Audit::Unknown(attribute),
        None => Audit::NotExported,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TfValue;
    use crate::rules::azurerm::test_support::{attr, block, resource, run, string};

    fn cluster(name: &str) -> TfResource {
        resource(CLUSTER, name, vec![], vec![])
    }

    /// A diagnostic setting targeting `target` (a reference) with one log
    /// block of `kind` holding `attributes`.
    fn setting(target: Option<&str>, kind: &str, attributes: Vec<TfAttribute>) -> TfResource {
        let mut target_attribute = attr("target_resource_id", TfValue::Unknown, 3);
        target_attribute.references = target.map(|t| vec![t.to_string()]).unwrap_or_default();
        let mut setting = resource(
            "azurerm_monitor_diagnostic_setting",
            "logs",
            vec![target_attribute],
            vec![block(kind, 5, attributes)],
        );
        setting.body.span = crate::rules::azurerm::test_support::at(2);
        setting
    }

    fn lines(world: &[TfResource]) -> (Vec<u32>, Vec<u32>) {
        let (found, notes) = run(&RULE, world);
        (found.iter().map(|(line, _)| *line).collect(), notes)
    }

    #[test]
    fn audit_categories_and_groups_count() {
        let main = Some("azurerm_kubernetes_cluster.main");
        for (kind, name, value) in [
            ("enabled_log", "category", "kube-audit"),
            ("enabled_log", "category", "kube-audit-admin"),
            ("enabled_log", "category_group", "audit"),
            ("enabled_log", "category_group", "allLogs"),
            ("log", "category", "kube-audit"),
        ] {
            let world = [
                cluster("main"),
                setting(main, kind, vec![attr(name, string(value), 6)]),
            ];
            assert_eq!(lines(&world), (vec![], vec![]), "{kind} {name} {value}");
        }
    }

    #[test]
    fn reports_clusters_without_audit_export() {
        let main = Some("azurerm_kubernetes_cluster.main");
        // No setting at all; a setting for another cluster; one without audit;
        // a v3 log block that is disabled.
        for world in [
            vec![cluster("main")],
            vec![
                cluster("main"),
                setting(
                    Some("azurerm_kubernetes_cluster.other"),
                    "enabled_log",
                    vec![attr("category", string("kube-audit"), 6)],
                ),
            ],
            vec![
                cluster("main"),
                setting(
                    main,
                    "enabled_log",
                    vec![attr("category", string("kube-apiserver"), 6)],
                ),
            ],
            vec![
                cluster("main"),
                setting(
                    main,
                    "log",
                    vec![
                        attr("category", string("kube-audit"), 6),
                        attr("enabled", TfValue::Bool(false), 7),
                    ],
                ),
            ],
            // An unknown target that refers to nothing cannot count.
            vec![
                cluster("main"),
                setting(
                    None,
                    "enabled_log",
                    vec![attr("category", string("kube-audit"), 6)],
                ),
            ],
        ] {
            assert_eq!(lines(&world), (vec![1], vec![]), "{world:?}");
        }
    }

    #[test]
    fn related_locations_name_the_silent_settings() {
        let world = [
            cluster("main"),
            setting(
                Some("azurerm_kubernetes_cluster.main"),
                "enabled_log",
                vec![attr("category", string("guard"), 6)],
            ),
        ];
        let (found, _) = run(&RULE, &world);
        assert!(
            found[0]
                .1
                .contains("neither kube-audit nor kube-audit-admin")
        );
    }

    #[test]
    fn known_ids_and_module_addresses_match() {
        let id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks";
        let mut aks = cluster("main");
        aks.address = "module.aks[0].azurerm_kubernetes_cluster.main".to_string();
        aks.body.attributes.push(attr("id", string(id), 2));
        let mut by_id = setting(
            None,
            "enabled_log",
            vec![attr("category", string("kube-audit"), 6)],
        );
        by_id.body.attributes[0].value = string(&id.to_uppercase());
        assert_eq!(lines(&[aks.clone(), by_id]), (vec![], vec![]));
        let by_reference = setting(
            Some("module.aks.azurerm_kubernetes_cluster.main"),
            "enabled_log",
            vec![attr("category", string("kube-audit"), 6)],
        );
        assert_eq!(lines(&[aks, by_reference]), (vec![], vec![]));
    }

    #[test]
    fn unknown_categories_are_notes() {
        let world = [
            cluster("main"),
            setting(
                Some("azurerm_kubernetes_cluster.main"),
                "enabled_log",
                vec![attr("category", TfValue::Unknown, 6)],
            ),
        ];
        assert_eq!(lines(&world), (vec![], vec![6]));
    }
}
