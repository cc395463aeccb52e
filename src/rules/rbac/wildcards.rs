use super::granting_rules;
use crate::model::Resource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Roles and ClusterRoles whose rules contain the wildcard `"*"` in
    /// `apiGroups`, `resources` or `verbs`. Each wildcard item is one finding.
    ///
    /// Narrower patterns such as `*/status` (one subresource of every resource)
    /// are not reported. An aggregated ClusterRole is skipped: its `rules` are
    /// computed from the roles it selects.
    ///
    /// ## Why it matters
    /// A wildcard grants more than its author could list: every verb includes
    /// `escalate`, `bind` and `impersonate`; every resource includes Secrets and
    /// the `nodes/proxy` subresource; every API group includes the custom
    /// resources and API groups installed later. The role silently widens as the
    /// cluster grows, and a review of the manifest does not show what it allows.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: ci-deployer
    /// rules:
    /// - apiGroups: ["apps"]
    ///   resources: ["*"]
    ///   verbs: ["*"]
    /// ```
    ///
    /// ## Fix
    /// Name the resources and verbs the subject needs.
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: ci-deployer
    /// rules:
    /// - apiGroups: ["apps"]
    ///   resources: ["deployments"]
    ///   verbs: ["get", "list", "watch", "update", "patch"]
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.3
    /// - Kubernetes documentation: "Using RBAC Authorization"; "Role Based Access
    ///   Control Good Practices" (least privilege, avoiding wildcards)
    pub static RULE = Rule {
        id: "RBAC001",
        name: "rbac-wildcard",
        severity: Severity::High,
        summary: "Role or ClusterRole uses a wildcard in apiGroups, resources or verbs",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    for rule in granting_rules(resource) {
        for (field, meaning) in [
            ("apiGroups", "every API group"),
            ("resources", "every resource"),
            ("verbs", "every verb"),
        ] {
            for item in rule.items(field).filter(|i| i.is_wildcard()) {
                out.report(
                    item.node.span,
                    rule.item_path(field, &item),
                    format!(
                        "{} grants {meaning} with \"*\" in {field} of rule #{}",
                        resource.display_name(),
                        rule.index + 1
                    ),
                );
            }
        }
    }
}
