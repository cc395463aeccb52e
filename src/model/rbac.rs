//! Role-based access control: what a Role or ClusterRole grants, who a binding
//! binds, and which roles a service account ends up with.

use super::{Repo, Resource};
use crate::source::yaml::Node;

/// The API group of RBAC objects.
pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// One entry of a role's `rules`.
#[derive(Clone, Debug)]
pub struct PolicyRule<'a> {
    /// Position of the entry in `rules`.
    pub index: usize,
    pub node: &'a Node,
    pub api_groups: Vec<&'a str>,
    pub resources: Vec<&'a str>,
    pub verbs: Vec<&'a str>,
    pub resource_names: Vec<&'a str>,
}

fn strings<'a>(node: &'a Node, key: &str) -> Vec<&'a str> {
    node.get(key)
        .map_or(&[][..], Node::items)
        .iter()
        .filter_map(Node::as_str)
        .collect()
}

/// Whether a resource is a Role or a ClusterRole.
pub fn is_role(resource: &Resource) -> bool {
    resource.group() == RBAC_GROUP && matches!(resource.kind.as_str(), "Role" | "ClusterRole")
}

/// The rules of a Role or ClusterRole (empty for anything else).
pub fn policy_rules(role: &Resource) -> Vec<PolicyRule<'_>> {
    if !is_role(role) {
        return Vec::new();
    }
    role.body
        .get("rules")
        .map_or(&[][..], Node::items)
        .iter()
        .enumerate()
        .map(|(index, node)| PolicyRule {
            index,
            node,
            api_groups: strings(node, "apiGroups"),
            resources: strings(node, "resources"),
            verbs: strings(node, "verbs"),
            resource_names: strings(node, "resourceNames"),
        })
        .collect()
}

impl<'a> PolicyRule<'a> {
    /// Whether the rule allows `verb` on `resource` (`pods`, `pods/exec`) of an
    /// API group, as the RBAC authorizer decides: `*` matches anything, and
    /// `*/sub` matches that subresource of every resource.
    pub fn allows(&self, verb: &str, group: &str, resource: &str) -> bool {
        self.grant(verb, group, resource).is_some()
    }

    /// The items of the rule that allow `verb` on `resource` of an API group
    /// (see [`PolicyRule::allows`]), preferring an exact item to a wildcard.
    pub fn grant(&self, verb: &str, group: &str, resource: &str) -> Option<Grant<'a>> {
        Some(Grant {
            verb: self.verb_item(verb)?,
            group: self.group_item(group)?,
            resource: self.resource_item(resource)?,
        })
    }

    /// The string items of `apiGroups`, `resources`, `verbs` (or any other
    /// list field of the rule), with their positions.
    pub fn items(&self, field: &str) -> impl Iterator<Item = RuleItem<'a>> + use<'a> {
        self.node
            .get(field)
            .map_or(&[][..], Node::items)
            .iter()
            .enumerate()
            .filter_map(|(index, node)| {
                Some(RuleItem {
                    index,
                    node,
                    text: node.as_str()?,
                })
            })
    }

    /// The `verbs` item that matches `verb`: the verb itself, else `*`. Verbs
    /// are compared exactly, as the authorizer compares them.
    pub fn verb_item(&self, verb: &str) -> Option<RuleItem<'a>> {
        self.best_item("verbs", |v| v == verb)
    }

    /// The `apiGroups` item that matches `group` (`""` for the core group).
    pub fn group_item(&self, group: &str) -> Option<RuleItem<'a>> {
        self.best_item("apiGroups", |g| g == group)
    }

    /// The `resources` item that matches `resource` (`pods`, `pods/exec`): the
    /// resource itself, else `*/sub` for a subresource, else `*`.
    pub fn resource_item(&self, resource: &str) -> Option<RuleItem<'a>> {
        let subresource = resource.split_once('/').map(|(_, sub)| sub);
        self.best_item("resources", |r| {
            r == resource
                || r.strip_prefix("*/")
                    .is_some_and(|sub| subresource == Some(sub))
        })
    }

    /// The first item of `field` that `matches`, else the first `*` item.
    fn best_item(&self, field: &str, matches: impl Fn(&str) -> bool) -> Option<RuleItem<'a>> {
        self.items(field)
            .find(|item| matches(item.text))
            .or_else(|| self.items(field).find(RuleItem::is_wildcard))
    }

    /// Field path of an item of the rule, e.g. `rules[1].verbs[0]`.
    pub fn item_path(&self, field: &str, item: &RuleItem) -> String {
        format!("rules[{}].{field}[{}]", self.index, item.index)
    }

    /// Whether the rule only applies to named objects (`resourceNames`).
    pub fn is_restricted_to_names(&self) -> bool {
        !self.resource_names.is_empty()
    }
}

/// One string item of a rule's `apiGroups`, `resources` or `verbs`.
#[derive(Copy, Clone, Debug)]
pub struct RuleItem<'a> {
    /// Position in its list.
    pub index: usize,
    pub node: &'a Node,
    pub text: &'a str,
}

impl RuleItem<'_> {
    /// `*`: every verb, API group or resource.
    pub fn is_wildcard(&self) -> bool {
        self.text == "*"
    }
}

/// The items of a policy rule that together allow a request.
#[derive(Copy, Clone, Debug)]
pub struct Grant<'a> {
    pub verb: RuleItem<'a>,
    pub group: RuleItem<'a>,
    pub resource: RuleItem<'a>,
}

impl Grant<'_> {
    /// Whether the permission comes from a wildcard (`*` or `*/sub`) rather than
    /// from items that name it.
    pub fn through_wildcard(&self) -> bool {
        self.verb.is_wildcard() || self.group.is_wildcard() || self.resource.text.starts_with('*')
    }
}

/// Whether a ClusterRole is aggregated: the controller manager replaces its
/// `rules` with those of the ClusterRoles its `aggregationRule` selects, so
/// the rules written in it grant nothing of their own.
pub fn is_aggregated(role: &Resource) -> bool {
    is_role(role)
        && role.kind == "ClusterRole"
        && role
            .body
            .get("aggregationRule")
            .is_some_and(|n| !n.is_null())
}

/// A subject of a binding.
#[derive(Clone, Debug)]
pub struct Subject<'a> {
    /// Position of the subject in `subjects`.
    pub index: usize,
    pub node: &'a Node,
    pub kind: &'a str,
    pub name: &'a str,
    /// For service accounts: their namespace (the binding's when omitted).
    pub namespace: Option<&'a str>,
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Clone, Debug)]
pub struct Binding<'a> {
    pub resource: &'a Resource,
    /// `Role` or `ClusterRole`.
    pub role_kind: &'a str,
    pub role_name: &'a str,
    /// The `roleRef` mapping.
    pub role_ref: &'a Node,
    pub subjects: Vec<Subject<'a>>,
}

/// Reads a RoleBinding or ClusterRoleBinding.
pub fn binding(resource: &Resource) -> Option<Binding<'_>> {
    if resource.group() != RBAC_GROUP
        || !matches!(resource.kind.as_str(), "RoleBinding" | "ClusterRoleBinding")
    {
        return None;
    }
    let role_ref = resource.body.get("roleRef")?;
    let subjects = resource
        .body
        .get("subjects")
        .map_or(&[][..], Node::items)
        .iter()
        .enumerate()
        .filter_map(|(index, node)| {
            Some(Subject {
                index,
                node,
                kind: node.get("kind")?.as_str()?,
                name: node.get("name")?.as_str()?,
                namespace: node
                    .get("namespace")
                    .and_then(Node::as_str)
                    .or(resource.namespace.as_deref()),
            })
        })
        .collect();
    Some(Binding {
        resource,
        role_kind: role_ref
            .get("kind")
            .and_then(Node::as_str)
            .unwrap_or("ClusterRole"),
        role_name: role_ref.get("name")?.as_str()?,
        role_ref,
        subjects,
    })
}

impl<'a> Binding<'a> {
    /// Whether the binding applies to a service account: by name, or through
    /// the `system:serviceaccounts` groups.
    pub fn binds_service_account(
        &self,
        namespace: Option<&str>,
        name: &str,
    ) -> Option<&Subject<'a>> {
        self.subjects.iter().find(|s| match s.kind {
            "ServiceAccount" => s.name == name && s.namespace == namespace,
            "Group" => {
                s.name == "system:serviceaccounts"
                    || namespace.is_some_and(|ns| {
                        s.name.strip_prefix("system:serviceaccounts:") == Some(ns)
                    })
            }
            _ => false,
        })
    }

    /// The role it grants, when that role is in the scanned repository.
    pub fn role(&self, repo: &Repo<'a>) -> Option<&'a Resource> {
        match self.role_kind {
            "Role" => repo.find(
                RBAC_GROUP,
                "Role",
                self.resource.namespace.as_deref(),
                self.role_name,
            ),
            _ => repo
                .of_kind(RBAC_GROUP, "ClusterRole")
                .find(|r| r.name.as_deref() == Some(self.role_name)),
        }
    }
}

/// The bindings, in the scanned repository, that apply to a service account.
pub fn bindings_of_service_account<'a>(
    repo: &Repo<'a>,
    namespace: Option<&str>,
    name: &str,
) -> Vec<Binding<'a>> {
    let role_bindings = repo.in_namespace(RBAC_GROUP, "RoleBinding", namespace);
    let cluster_bindings = repo.of_kind(RBAC_GROUP, "ClusterRoleBinding");
    role_bindings
        .chain(cluster_bindings)
        .filter_map(binding)
        .filter(|b| b.binds_service_account(namespace, name).is_some())
        .collect()
}

/// Built-in ClusterRoles that are not in repositories, by what they grant: does
/// the role give everything, and can it read Secrets?
pub fn builtin_cluster_role(name: &str) -> Option<(bool, bool)> {
    match name {
        "cluster-admin" => Some((true, true)),
        "admin" | "edit" => Some((false, true)),
        "view" => Some((false, false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::resources_from_document;
    use crate::source::FileId;
    use crate::source::yaml::{Limits, load};

    fn role(rules: &str) -> Resource {
        let text = format!(
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules:\n{rules}"
        );
        let loaded = load(FileId(0), "t.yaml", &text, Limits::default());
        let document = loaded.documents.into_iter().next().expect("a document");
        resources_from_document(FileId(0), document).remove(0)
    }

    #[test]
    fn grants_prefer_named_items_to_wildcards() {
        let r = role("- apiGroups: ['*', '']\n  resources: ['*', secrets]\n  verbs: [get, '*']\n");
        let rules = policy_rules(&r);
        let grant = rules[0].grant("get", "", "secrets").expect("granted");
        assert_eq!(
            (grant.verb.index, grant.group.index, grant.resource.index),
            (0, 1, 1)
        );
        assert!(!grant.through_wildcard());
        let grant = rules[0]
            .grant("list", "apps", "deployments")
            .expect("granted");
        assert!(grant.through_wildcard());
        assert_eq!(
            rules[0].item_path("verbs", &grant.verb),
            "rules[0].verbs[1]"
        );
    }

    #[test]
    fn matches_like_the_authorizer() {
        let r = role(
            "- apiGroups: ['']\n  resources: ['*/proxy', pods]\n  verbs: [GET, list]\n- resources: [secrets]\n  verbs: ['*']\n",
        );
        let rules = policy_rules(&r);
        assert!(rules[0].allows("list", "", "nodes/proxy"));
        assert!(!rules[0].allows("list", "", "nodes"));
        assert!(!rules[0].allows("list", "apps", "pods"));
        assert!(
            !rules[0].allows("get", "", "pods"),
            "verbs are case-sensitive"
        );
        assert!(
            !rules[1].allows("get", "", "secrets"),
            "no apiGroups, no match"
        );
        assert_eq!(rules[1].index, 1);
    }

    #[test]
    fn aggregated_cluster_roles() {
        let mut r = role("  []\naggregationRule:\n  clusterRoleSelectors: []\n");
        assert!(is_aggregated(&r));
        r.kind = "Role".into();
        assert!(!is_aggregated(&r));
    }
}
