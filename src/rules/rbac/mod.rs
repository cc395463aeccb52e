//! Role-based access control: what Roles and ClusterRoles grant, and to whom
//! bindings grant it.
//!
//! Only objects of the `rbac.authorization.k8s.io` API group count. A rule
//! that looks for a permission reports it however the role grants it: by name
//! or through a wildcard (`*` verbs, API groups or resources, `*/sub`
//! resources), since a wildcard grant is as real as a named one; the message
//! then says so. Wildcards themselves are RBAC001's subject.
//!
//! A Role grants nothing on cluster-scoped resources (PersistentVolumes, nodes,
//! webhook configurations, certificate signing requests), since its rules only
//! apply to requests in its namespace: such rules are not reported in Roles.
//!
//! An aggregated ClusterRole (one with an `aggregationRule`) is skipped: the
//! controller manager overwrites its `rules` with those of the roles it
//! selects, which are checked where they are written.

mod cluster_admin_binding;
mod csr_approval;
mod escalation_verbs;
mod node_proxy;
mod persistent_volume_creation;
mod pod_creation;
mod secrets_access;
mod system_group_binding;
mod token_creation;
mod webhook_configuration;
mod wildcards;

use super::{Findings, Rule};
use crate::model::Resource;
use crate::model::rbac::{PolicyRule, RuleItem, is_aggregated, policy_rules};

/// The RBAC rules, in ID order.
pub static RULES: &[&Rule] = &[
    &wildcards::RULE,
    &cluster_admin_binding::RULE,
    &secrets_access::RULE,
    &pod_creation::RULE,
    &escalation_verbs::RULE,
    &persistent_volume_creation::RULE,
    &node_proxy::RULE,
    &csr_approval::RULE,
    &webhook_configuration::RULE,
    &token_creation::RULE,
    &system_group_binding::RULE,
];

/// The rules of a Role or ClusterRole that grant something of their own: none
/// for other kinds and for aggregated ClusterRoles.
fn granting_rules(resource: &Resource) -> Vec<PolicyRule<'_>> {
    if is_aggregated(resource) {
        return Vec::new();
    }
    policy_rules(resource)
}

/// A resource of an API group, e.g. `deployments` in `apps`.
#[derive(Copy, Clone, Debug)]
struct Target {
    group: &'static str,
    resource: &'static str,
    /// A Role (namespaced) grants nothing on cluster-scoped resources.
    cluster_scoped: bool,
}

impl Target {
    /// A namespaced resource.
    const fn namespaced(group: &'static str, resource: &'static str) -> Self {
        Target {
            group,
            resource,
            cluster_scoped: false,
        }
    }

    /// A cluster-scoped resource.
    const fn cluster(group: &'static str, resource: &'static str) -> Self {
        Target {
            group,
            resource,
            cluster_scoped: true,
        }
    }

    /// `secrets`, `deployments.apps`: how `kubectl` names a resource.
    fn display(&self) -> String {
        if self.group.is_empty() {
            self.resource.to_string()
        } else {
            format!("{}.{}", self.resource, self.group)
        }
    }
}

/// What one `resources` item of a policy rule grants among the permissions a
/// check looks for.
struct ResourceGrant<'a> {
    item: RuleItem<'a>,
    verbs: Vec<&'static str>,
    targets: Vec<Target>,
    through_wildcard: bool,
}

impl ResourceGrant<'_> {
    fn add(&mut self, verb: &'static str, target: Target, through_wildcard: bool) {
        if !self.verbs.contains(&verb) {
            self.verbs.push(verb);
        }
        if !self.targets.iter().any(|t| t.display() == target.display()) {
            self.targets.push(target);
        }
        self.through_wildcard |= through_wildcard;
    }

    /// `can get, list secrets`, with ` (through a wildcard)` when it applies.
    fn describe(&self) -> String {
        let targets: Vec<String> = self.targets.iter().map(Target::display).collect();
        format!(
            "can {} {}{}",
            self.verbs.join(", "),
            targets.join(", "),
            if self.through_wildcard {
                " (through a wildcard)"
            } else {
                ""
            }
        )
    }
}

/// The `resources` items of a rule of `role` that grant one of `verbs` on one
/// of `targets`, each with what it grants. Each permission is credited to the
/// item the authorizer would match, the named one rather than `*`.
fn resource_grants<'a>(
    role: &Resource,
    rule: &PolicyRule<'a>,
    verbs: &[&'static str],
    targets: &[Target],
) -> Vec<ResourceGrant<'a>> {
    let namespaced_role = role.kind == "Role";
    let mut grants: Vec<ResourceGrant<'a>> = Vec::new();
    for target in targets
        .iter()
        .filter(|t| !(namespaced_role && t.cluster_scoped))
    {
        for verb in verbs {
            let Some(grant) = rule.grant(verb, target.group, target.resource) else {
                continue;
            };
            let through_wildcard = grant.through_wildcard();
            match grants
                .iter_mut()
                .find(|g| g.item.index == grant.resource.index)
            {
                Some(existing) => existing.add(verb, *target, through_wildcard),
                None => grants.push(ResourceGrant {
                    item: grant.resource,
                    verbs: vec![verb],
                    targets: vec![*target],
                    through_wildcard,
                }),
            }
        }
    }
    grants.sort_by_key(|g| g.item.index);
    grants
}

/// Reports, for every Role or ClusterRole rule, each `resources` item that
/// grants one of `verbs` on one of `targets`; `consequence` ends the message.
fn report_resource_grants(
    resource: &Resource,
    verbs: &[&'static str],
    targets: &[Target],
    consequence: &str,
    out: &mut Findings,
) {
    for rule in granting_rules(resource) {
        for grant in resource_grants(resource, &rule, verbs, targets) {
            out.report(
                grant.item.node.span,
                rule.item_path("resources", &grant.item),
                format!(
                    "{} {}: {consequence}",
                    resource.display_name(),
                    grant.describe()
                ),
            );
        }
    }
}
