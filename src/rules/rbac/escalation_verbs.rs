use super::granting_rules;
use crate::model::Resource;
use crate::model::rbac::{PolicyRule, RBAC_GROUP};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Roles and ClusterRoles with a rule that names the verb `bind`, `escalate`
    /// or `impersonate` on a resource it applies to:
    /// - `bind` and `escalate` on `roles` or `clusterroles` (`rbac.authorization.k8s.io`);
    /// - `impersonate` on `users`, `groups`, `serviceaccounts` (core), `uids` or
    ///   `userextras/…` (`authentication.k8s.io`).
    ///
    /// In a Role, `impersonate` only counts on `serviceaccounts`: the other
    /// identities are impersonated outside any namespace, where a Role grants
    /// nothing. Resources may be given by a wildcard. The finding points at the
    /// verb item.
    /// A `"*"` verb also includes these three, but RBAC001 reports it already.
    ///
    /// ## Why it matters
    /// These verbs lift RBAC's own guard rails. Kubernetes refuses to let a
    /// subject create a role granting more than it holds, or bind a role it does
    /// not hold: `escalate` and `bind` switch that check off, so their holder can
    /// give itself any permission. `impersonate` lets it act as another user,
    /// group or service account, with all of their rights.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: team-admin
    /// rules:
    /// - apiGroups: ["rbac.authorization.k8s.io"]
    ///   resources: ["roles", "rolebindings"]
    ///   verbs: ["get", "list", "create", "update", "bind", "escalate"]
    /// ```
    ///
    /// ## Fix
    /// Without `bind` and `escalate`, the subject can still manage roles and
    /// bindings, within the permissions it holds itself.
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: team-admin
    /// rules:
    /// - apiGroups: ["rbac.authorization.k8s.io"]
    ///   resources: ["roles", "rolebindings"]
    ///   verbs: ["get", "list", "create", "update"]
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.8
    /// - Kubernetes documentation: "Using RBAC Authorization" (privilege
    ///   escalation prevention and bootstrapping); "Authenticating" (user
    ///   impersonation)
    pub static RULE = Rule {
        id: "RBAC005",
        name: "escalation-verbs",
        severity: Severity::High,
        summary: "Role or ClusterRole grants the bind, escalate or impersonate verb",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    for rule in granting_rules(resource) {
        for verb in rule.items("verbs") {
            let applies = match verb.text {
                "bind" | "escalate" => applies_to_roles(&rule),
                "impersonate" => applies_to_identities(&rule, resource.kind == "Role"),
                _ => continue,
            };
            if !applies {
                continue;
            }
            let what = match verb.text {
                "impersonate" => "act as other users, groups or service accounts",
                "bind" => "bind roles it does not hold",
                _ => "grant permissions it does not hold",
            };
            out.report(
                verb.node.span,
                rule.item_path("verbs", &verb),
                format!(
                    "{} grants the verb {:?}: its holder can {what}",
                    resource.display_name(),
                    verb.text
                ),
            );
        }
    }
}

/// Whether the rule's resources include roles or cluster roles.
fn applies_to_roles(rule: &PolicyRule) -> bool {
    ["roles", "clusterroles"].iter().any(|resource| {
        rule.group_item(RBAC_GROUP).is_some() && rule.resource_item(resource).is_some()
    })
}

/// Whether the rule's resources include identities one can impersonate. In a
/// Role, only service accounts: impersonating users, groups, UIDs and extra
/// attributes is authorized outside any namespace.
fn applies_to_identities(rule: &PolicyRule, in_role: bool) -> bool {
    let identities: &[&str] = if in_role {
        &["serviceaccounts"]
    } else {
        &["users", "groups", "serviceaccounts"]
    };
    let core =
        rule.group_item("").is_some() && identities.iter().any(|r| rule.resource_item(r).is_some());
    let authentication = !in_role
        && rule.group_item("authentication.k8s.io").is_some()
        && rule
            .items("resources")
            .any(|r| r.is_wildcard() || r.text == "uids" || r.text.starts_with("userextras/"));
    core || authentication
}
