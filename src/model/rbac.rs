//! Role-based access control: what a Role or ClusterRole grants, who a binding
//! binds, and which roles a service account ends up with.

use super::{Repo, Resource};
use crate::source::yaml::Node;

/// The API group of RBAC objects.
pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// One entry of a role's `rules`.
#[derive(Clone, Debug)]
pub struct PolicyRule<'a> {
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
        .map(|node| PolicyRule {
            node,
            api_groups: strings(node, "apiGroups"),
            resources: strings(node, "resources"),
            verbs: strings(node, "verbs"),
            resource_names: strings(node, "resourceNames"),
        })
        .collect()
}

impl PolicyRule<'_> {
    /// Whether the rule allows `verb` on `resource` (`pods`, `pods/exec`) of an
    /// API group, as the RBAC authorizer decides: `*` matches anything, and
    /// `*/sub` matches that subresource of every resource.
    pub fn allows(&self, verb: &str, group: &str, resource: &str) -> bool {
        let verb_ok = self
            .verbs
            .iter()
            .any(|v| *v == "*" || v.eq_ignore_ascii_case(verb));
        let group_ok = self.api_groups.iter().any(|g| *g == "*" || *g == group);
        let resource_ok = self.resources.iter().any(|r| {
            *r == "*"
                || *r == resource
                || r.strip_prefix("*/")
                    .is_some_and(|sub| resource.split_once('/').is_some_and(|(_, s)| s == sub))
        });
        verb_ok && group_ok && resource_ok
    }

    /// Whether the rule only applies to named objects (`resourceNames`).
    pub fn is_restricted_to_names(&self) -> bool {
        !self.resource_names.is_empty()
    }
}

/// A subject of a binding.
#[derive(Clone, Debug)]
pub struct Subject<'a> {
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
        .filter_map(|node| {
            Some(Subject {
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
