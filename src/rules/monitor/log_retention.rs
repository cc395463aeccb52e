use crate::model::TfResource;
use crate::rules::azurerm::{Setting, is, is_managed, report, setting, undetermined};
use crate::rules::{Context, Findings, ParamDefault, Parameter, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_log_analytics_workspace` resources that keep logs for fewer
    /// days than the `min_retention_days` parameter (default 365), in
    /// `retention_in_days`. When the attribute is absent the provider's
    /// default applies: 30 days (7 on the legacy `Free` SKU).
    ///
    /// ## Why it matters
    /// The workspace holds the cluster's audit log, Container Insights data and
    /// Defender's raw events. Intrusions are typically discovered weeks or
    /// months after they start; logs deleted after 30 days leave nothing to
    /// investigate and nothing to show an auditor. Regulations and internal
    /// policies commonly ask for a year. Low: the logs exist; they are only
    /// kept too briefly for your policy.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_log_analytics_workspace" "main" {
    ///   name                = "log-shop-prod"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-shop-prod"
    ///   sku                 = "PerGB2018"
    ///   retention_in_days   = 90
    /// }
    /// ```
    ///
    /// ## Fix
    /// Keep the logs at least as long as your policy says (up to 730 days in
    /// the workspace, or archive them), or lower `min_retention_days` in
    /// `.vigie.yaml` if your policy asks for less.
    /// ```hcl
    /// resource "azurerm_log_analytics_workspace" "main" {
    ///   name                = "log-shop-prod"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-shop-prod"
    ///   sku                 = "PerGB2018"
    ///   retention_in_days   = 365
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_log_analytics_workspace`:
    ///   `retention_in_days` (7 on the Free SKU, else 30 to 730; default 30)
    /// - Azure Monitor documentation, "Manage data retention in a Log Analytics
    ///   workspace"
    pub static RULE = Rule {
        id: "MON002",
        name: "log-retention-too-short",
        severity: Severity::Low,
        summary: "Log Analytics workspace keeps logs for less than the required time",
        frameworks: &[],
        parameters: &[Parameter {
            name: "min_retention_days",
            description: "Fewest days a Log Analytics workspace must keep its logs",
            default: ParamDefault::Int(365),
        }],
        check: crate::rules::Check::Terraform(check),
    };
}

const FIELD: &str = "retention_in_days";

fn check(ctx: &Context, workspace: &TfResource, out: &mut Findings) {
    if !is_managed(workspace, "azurerm_log_analytics_workspace") {
        return;
    }
    let minimum = ctx.int("min_retention_days");
    match setting(&workspace.body, &[FIELD]) {
        Setting::Unknown(attribute) => undetermined(out, attribute, FIELD),
        Setting::Set(attribute) => {
            let Some(days) = attribute.value.as_number() else {
                return;
            };
            if days < minimum as f64 {
                report(
                    out,
                    workspace,
                    attribute.span,
                    Some(attribute),
                    FIELD,
                    format!(
                        "retention_in_days is {}: logs are kept less than the required {minimum} days",
                        attribute.value
                    ),
                );
            }
        }
        Setting::Default => {
            let free = workspace
                .body
                .attribute("sku")
                .is_some_and(|sku| is(&sku.value, "Free"));
            let days = if free { 7 } else { 30 };
            if days < minimum {
                report(
                    out,
                    workspace,
                    workspace.body.span,
                    None,
                    FIELD,
                    format!(
                        "retention_in_days is not set (provider default: {days}): logs are kept less than the required {minimum} days"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TfValue;
    use crate::rules::azurerm::test_support::{attr, resource, run, run_with, string};
    use crate::rules::{ActiveRule, ParamValue};

    fn workspace(attributes: Vec<crate::model::TfAttribute>) -> TfResource {
        resource(
            "azurerm_log_analytics_workspace",
            "logs",
            attributes,
            vec![],
        )
    }

    #[test]
    fn reports_short_retention() {
        let (found, notes) = run(
            &RULE,
            &[
                workspace(vec![attr(FIELD, TfValue::Number(90.0), 5)]),
                workspace(vec![attr(FIELD, TfValue::Number(365.0), 6)]),
                workspace(vec![attr(FIELD, TfValue::Number(730.0), 7)]),
                workspace(vec![]),
                workspace(vec![attr(FIELD, TfValue::Unknown, 8)]),
            ],
        );
        let lines: Vec<u32> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [5, 1]);
        assert!(found[1].1.contains("provider default: 30"));
        assert_eq!(notes, [8]);
        let (found, _) = run(&RULE, &[workspace(vec![attr("sku", string("Free"), 3)])]);
        assert!(found[0].1.contains("provider default: 7"));
    }

    #[test]
    fn the_minimum_is_a_parameter() {
        let mut active = ActiveRule::new(&RULE);
        assert!(active.params.set("min_retention_days", ParamValue::Int(30)));
        let (found, _) = run_with(
            &active,
            &[
                workspace(vec![attr(FIELD, TfValue::Number(90.0), 5)]),
                workspace(vec![]),
                workspace(vec![attr("sku", string("Free"), 3)]),
            ],
        );
        let lines: Vec<u32> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [1]);
    }
}
