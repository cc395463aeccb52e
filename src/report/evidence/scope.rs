//! What each rule examines, so that a control without findings can say what was
//! checked: "no finding in 12 workloads" is evidence, "no finding" alone is not.
//!
//! Rules decide inside their check which objects concern them, so the scope is
//! written down here, one entry per rule, mirroring the gate each check opens
//! with (a pod template, a Role, a Service of type LoadBalancer is counted as a
//! Service). A rule without an entry counts every object of its kind of check:
//! an upper bound, never an undercount. A test runs every rule's failing
//! fixtures and requires each finding's object to be in the rule's scope.

use std::collections::BTreeMap;

use crate::model::pod_template;
use crate::model::{Resource, TfResource};
use crate::rules::{Check, Rule};

/// The objects a rule looks at.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Objects with a pod template: Pod, Deployment, StatefulSet, DaemonSet,
    /// Job, CronJob, ReplicaSet, ReplicationController, PodTemplate.
    Workloads,
    /// Workloads and PersistentVolumes (host paths can be in either).
    WorkloadsAndVolumes,
    /// Workloads, Services and Ingresses (how a workload is reached).
    WorkloadsAndExposure,
    /// RBAC Roles and ClusterRoles.
    Roles,
    /// RBAC RoleBindings and ClusterRoleBindings.
    Bindings,
    /// Objects of one kind in one of these API groups.
    Kind(&'static [&'static str], &'static str),
    /// Objects that are not cluster-scoped.
    NamespacedObjects,
    /// Every Kubernetes object.
    AllObjects,
    /// Managed Terraform resources of these types, and what to call them.
    Terraform(&'static [&'static str], &'static str),
    /// Managed azurerm resources that declare a region (a `location` other
    /// than `global`).
    AzureRegional,
    /// Every Terraform resource.
    AllTerraform,
}

impl Scope {
    /// The scope of a rule.
    pub fn of(rule: &Rule) -> Scope {
        match rule.id {
            id if id.starts_with("PSS") => Scope::Workloads,
            "K8S001" | "K8S002" | "K8S003" | "K8S004" | "K8S005" | "K8S006" | "K8S007"
            | "K8S008" | "K8S009" | "NET002" | "PATH001" | "SEC003" => Scope::Workloads,
            "K8S011" => Scope::WorkloadsAndVolumes,
            "NET004" => Scope::WorkloadsAndExposure,
            "K8S010" | "K8S013" => Scope::NamespacedObjects,
            "RBAC001" | "RBAC003" | "RBAC004" | "RBAC005" | "RBAC006" | "RBAC007" | "RBAC008"
            | "RBAC009" | "RBAC010" => Scope::Roles,
            "RBAC002" | "RBAC011" => Scope::Bindings,
            "NET001" => Scope::Kind(&["networking.k8s.io", "extensions"], "Ingress"),
            "NET003" => Scope::Kind(&[""], "Service"),
            "SEC001" => Scope::Kind(&[""], "Secret"),
            "SEC002" => Scope::Kind(&["secrets-store.csi.x-k8s.io"], "SecretProviderClass"),
            "CRT001" => Scope::Kind(&["cert-manager.io"], "Certificate"),
            "AKS015" | "AKS016" => Scope::Terraform(
                &[
                    "azurerm_kubernetes_cluster",
                    "azurerm_kubernetes_cluster_node_pool",
                ],
                "AKS clusters and node pools",
            ),
            id if id.starts_with("AKS") => {
                Scope::Terraform(&["azurerm_kubernetes_cluster"], "AKS clusters")
            }
            id if id.starts_with("KV") => Scope::Terraform(&["azurerm_key_vault"], "Key Vaults"),
            id if id.starts_with("ACR") => {
                Scope::Terraform(&["azurerm_container_registry"], "container registries")
            }
            "DEF001" => Scope::Terraform(
                &["azurerm_security_center_subscription_pricing"],
                "Defender for Cloud plans",
            ),
            "MON001" => Scope::Terraform(
                &["azurerm_monitor_private_link_scope"],
                "Azure Monitor private link scopes",
            ),
            "MON002" => Scope::Terraform(
                &["azurerm_log_analytics_workspace"],
                "Log Analytics workspaces",
            ),
            "AZ001" => Scope::AzureRegional,
            _ => match rule.check {
                Check::Kubernetes(_) => Scope::AllObjects,
                Check::Terraform(_) => Scope::AllTerraform,
            },
        }
    }

    /// What the scope holds, in words: `workloads (objects with a pod template)`.
    pub fn description(self) -> &'static str {
        match self {
            Scope::Workloads => "workloads (objects with a pod template)",
            Scope::WorkloadsAndVolumes => "workloads and PersistentVolumes",
            Scope::WorkloadsAndExposure => "workloads, Services and Ingresses",
            Scope::Roles => "Roles and ClusterRoles",
            Scope::Bindings => "RoleBindings and ClusterRoleBindings",
            Scope::Kind(_, "Ingress") => "Ingresses",
            Scope::Kind(_, "Service") => "Services",
            Scope::Kind(_, "Secret") => "Secrets",
            Scope::Kind(_, "SecretProviderClass") => "SecretProviderClasses",
            Scope::Kind(_, "Certificate") => "cert-manager Certificates",
            Scope::Kind(_, _) => "objects of one kind",
            Scope::NamespacedObjects => "namespaced objects",
            Scope::AllObjects => "Kubernetes objects",
            Scope::Terraform(_, description) => description,
            Scope::AzureRegional => "Azure resources with a region",
            Scope::AllTerraform => "Terraform resources",
        }
    }

    /// Whether the rule looks at this Kubernetes object.
    pub fn contains(self, resource: &Resource) -> bool {
        let rbac = resource.group() == "rbac.authorization.k8s.io";
        match self {
            Scope::Workloads => pod_template(resource).is_some(),
            Scope::WorkloadsAndVolumes => {
                pod_template(resource).is_some()
                    || (resource.group().is_empty() && resource.kind == "PersistentVolume")
            }
            Scope::WorkloadsAndExposure => {
                pod_template(resource).is_some()
                    || (resource.group().is_empty() && resource.kind == "Service")
                    || (resource.kind == "Ingress"
                        && matches!(resource.group(), "networking.k8s.io" | "extensions"))
            }
            Scope::Roles => rbac && matches!(resource.kind.as_str(), "Role" | "ClusterRole"),
            Scope::Bindings => {
                rbac && matches!(resource.kind.as_str(), "RoleBinding" | "ClusterRoleBinding")
            }
            Scope::Kind(groups, kind) => {
                resource.kind == kind && groups.contains(&resource.group())
            }
            Scope::NamespacedObjects => !resource.is_cluster_scoped(),
            Scope::AllObjects => true,
            Scope::Terraform(..) | Scope::AzureRegional | Scope::AllTerraform => false,
        }
    }

    /// Whether the rule looks at this Terraform resource.
    pub fn contains_terraform(self, resource: &TfResource) -> bool {
        match self {
            Scope::Terraform(types, _) => {
                !resource.data && types.contains(&resource.resource_type.as_str())
            }
            Scope::AzureRegional => crate::rules::azure::has_region(resource),
            Scope::AllTerraform => true,
            _ => false,
        }
    }
}

/// How many objects a rule examined, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Examined {
    pub total: usize,
    /// Kubernetes kind or Terraform resource type → count.
    pub by_kind: BTreeMap<String, usize>,
}

/// Counts the objects of a scan in a rule's scope.
pub fn examined(scope: Scope, resources: &[Resource], terraform: &[TfResource]) -> Examined {
    let mut examined = Examined::default();
    for resource in resources.iter().filter(|r| scope.contains(r)) {
        examined.total += 1;
        *examined.by_kind.entry(resource.kind.clone()).or_default() += 1;
    }
    for resource in terraform.iter().filter(|r| scope.contains_terraform(r)) {
        examined.total += 1;
        *examined
            .by_kind
            .entry(resource.resource_type.clone())
            .or_default() += 1;
    }
    examined
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ScanOptions;
    use crate::rules::Subject;

    /// Every finding of every failing fixture is on an object its rule's scope
    /// counts: a scope that missed objects a rule reports on would make a
    /// passing control claim less than was checked, or the wrong thing.
    #[test]
    fn every_fixture_finding_is_in_its_rules_scope() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
        let mut checked = 0;
        for rule in crate::rules::all() {
            let dir = root.join(rule.id);
            if !dir.is_dir() {
                continue;
            }
            let options = ScanOptions {
                paths: vec![dir.clone()],
                rules: vec![rule.id.to_string()],
                ..ScanOptions::default()
            };
            let scan = crate::scan(&options).unwrap();
            let scope = Scope::of(rule);
            for finding in &scan.findings {
                let inside = match finding.subject {
                    Subject::Kubernetes(i) => scope.contains(&scan.resources[i]),
                    Subject::Terraform(i) => scope.contains_terraform(&scan.terraform[i]),
                };
                assert!(
                    inside,
                    "{}: {} is outside the scope {:?}",
                    rule.id,
                    finding.resource.display(),
                    scope
                );
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} fixture findings checked");
    }

    #[test]
    fn counts_objects_by_kind() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo");
        let loaded = crate::load_inputs(&ScanOptions {
            paths: vec![root],
            ..ScanOptions::default()
        })
        .unwrap();
        let workloads = examined(Scope::Workloads, &loaded.resources, &loaded.terraform);
        assert!(workloads.total > 0);
        assert_eq!(workloads.total, workloads.by_kind.values().sum::<usize>());
        assert!(!workloads.by_kind.contains_key("Service"));
        let all = examined(Scope::AllObjects, &loaded.resources, &loaded.terraform);
        assert_eq!(all.total, loaded.resources.len());
        assert!(all.total > workloads.total);
    }
}
