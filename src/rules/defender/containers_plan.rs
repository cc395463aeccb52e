use crate::model::TfResource;
use crate::rules::azurerm::{Setting, is, is_managed, report, setting, undetermined};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_security_center_subscription_pricing` resources that set the
    /// Defender for Containers plan (`resource_type = "Containers"`) to the
    /// `Free` tier, which turns the plan off for the subscription. `tier` is
    /// required (`Free` or `Standard`); `resource_type` defaults to
    /// `VirtualMachines`, so a resource without it is about another plan.
    ///
    /// ## Why it matters
    /// Defender for Containers is what detects attacks on running clusters
    /// (its sensor reads kernel events and the audit log), scans images in
    /// the registries for vulnerabilities and reports posture drift. On the
    /// Free tier none of that runs: a crypto-miner, a reverse shell or a
    /// privileged pod created by an intruder raises no alert. Medium: it
    /// removes detection, not a barrier.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_security_center_subscription_pricing" "containers" {
    ///   tier          = "Free"
    ///   resource_type = "Containers"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "azurerm_security_center_subscription_pricing" "containers" {
    ///   tier          = "Standard"
    ///   resource_type = "Containers"
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_security_center_subscription_pricing`:
    ///   `tier` (required), `resource_type` (default `VirtualMachines`)
    /// - Microsoft Defender for Cloud documentation, "Overview of Container
    ///   security in Microsoft Defender for Containers"
    /// - CIS AKS Benchmark 5.1.1 (image vulnerability scanning with Microsoft
    ///   Defender for Cloud or a third-party provider)
    /// - Azure Policy 1c988dd6-ade4-430f-a608-2a3e5b0a6d38 (Microsoft Defender
    ///   for Containers should be enabled)
    pub static RULE = Rule {
        id: "DEF001",
        name: "defender-for-containers-off",
        severity: Severity::Medium,
        summary: "Defender for Containers plan is on the Free tier (off)",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    if !is_managed(resource, "azurerm_security_center_subscription_pricing") {
        return;
    }
    let Setting::Set(tier) = setting(&resource.body, &["tier"]) else {
        if let Setting::Unknown(tier) = setting(&resource.body, &["tier"])
            && about_containers(resource) != Some(false)
        {
            undetermined(out, tier, "tier");
        }
        return;
    };
    if !is(&tier.value, "Free") {
        return;
    }
    match setting(&resource.body, &["resource_type"]) {
        Setting::Unknown(kind) => undetermined(out, kind, "resource_type"),
        Setting::Set(kind) if is(&kind.value, "Containers") => report(
            out,
            resource,
            tier.span,
            Some(tier),
            "tier",
            "Defender for Containers is on the Free tier: no threat detection or image scanning for the subscription's clusters"
                .to_string(),
        ),
        Setting::Set(_) | Setting::Default => {}
    }
}

/// Whether the resource sets the Containers plan; `None` when unknown.
fn about_containers(resource: &TfResource) -> Option<bool> {
    match setting(&resource.body, &["resource_type"]) {
        Setting::Set(kind) => Some(is(&kind.value, "Containers")),
        Setting::Default => Some(false),
        Setting::Unknown(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TfValue;
    use crate::rules::azurerm::test_support::{attr, resource, run, string};

    #[test]
    fn reports_the_free_containers_plan() {
        let pricing = |tier: TfValue, kind: Option<TfValue>| {
            let mut attributes = vec![attr("tier", tier, 2)];
            attributes.extend(kind.map(|k| attr("resource_type", k, 3)));
            resource(
                "azurerm_security_center_subscription_pricing",
                "p",
                attributes,
                vec![],
            )
        };
        let (found, notes) = run(
            &RULE,
            &[
                pricing(string("Free"), Some(string("Containers"))),
                pricing(string("Standard"), Some(string("Containers"))),
                pricing(string("Free"), Some(string("VirtualMachines"))),
                pricing(string("Free"), None),
            ],
        );
        let lines: Vec<u32> = found.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [2]);
        assert!(notes.is_empty());
        let (found, notes) = run(
            &RULE,
            &[
                pricing(TfValue::Unknown, Some(string("Containers"))),
                pricing(string("Free"), Some(TfValue::Unknown)),
                pricing(TfValue::Unknown, Some(string("KeyVaults"))),
            ],
        );
        assert!(found.is_empty());
        assert_eq!(notes, [2, 3]);
    }
}
