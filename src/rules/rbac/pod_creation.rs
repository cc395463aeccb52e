use super::{Target, report_resource_grants};
use crate::model::Resource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Roles and ClusterRoles with a rule that allows `create` on pods, or on a
    /// workload that creates pods: `replicationcontrollers` (core),
    /// `deployments`, `replicasets`, `statefulsets`, `daemonsets` (`apps`),
    /// `jobs`, `cronjobs` (`batch`). Wildcards count. The finding points at the
    /// `resources` item that grants it, one finding per item.
    ///
    /// ## Why it matters
    /// Whoever creates a pod chooses what it runs and with which identity: it can
    /// mount any Secret of the namespace, run as any of its service accounts and,
    /// unless admission control forbids it, run privileged on a node. Creating a
    /// Deployment or a Job is the same power, one step removed. Keep it for the
    /// deployment pipeline and the controllers that need it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: developer
    ///   namespace: shop
    /// rules:
    /// - apiGroups: ["apps"]
    ///   resources: ["deployments"]
    ///   verbs: ["get", "list", "create"]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: developer
    ///   namespace: shop
    /// rules:
    /// - apiGroups: ["apps"]
    ///   resources: ["deployments"]
    ///   verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.4
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    ///   (workload creation)
    pub static RULE = Rule {
        id: "RBAC004",
        name: "pod-creation-access",
        severity: Severity::Medium,
        summary: "Role or ClusterRole can create pods or workloads that create pods",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const POD_CREATORS: &[Target] = &[
    Target::namespaced("", "pods"),
    Target::namespaced("", "replicationcontrollers"),
    Target::namespaced("apps", "deployments"),
    Target::namespaced("apps", "replicasets"),
    Target::namespaced("apps", "statefulsets"),
    Target::namespaced("apps", "daemonsets"),
    Target::namespaced("batch", "jobs"),
    Target::namespaced("batch", "cronjobs"),
];

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    report_resource_grants(
        resource,
        &["create"],
        POD_CREATORS,
        "it can run pods of its choosing",
        out,
    );
}
