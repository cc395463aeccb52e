use super::{Target, report_resource_grants};
use crate::model::Resource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Roles and ClusterRoles with a rule that allows `create` on
    /// `persistentvolumes` (core API group), by name or through a wildcard. The
    /// finding points at the `resources` item that grants it.
    ///
    /// Creating PersistentVolumeClaims is not reported: claims are bound to
    /// volumes an administrator or a storage class provides.
    ///
    /// ## Why it matters
    /// A PersistentVolume describes storage directly: a `hostPath` volume on any
    /// node, an NFS export, a cloud disk by ID. Whoever creates one, then claims
    /// it from a pod, can mount the node's filesystem or another team's data
    /// without ever writing a `hostPath` into a pod, which Pod Security
    /// admission would refuse.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: storage-manager
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["persistentvolumes", "persistentvolumeclaims"]
    ///   verbs: ["get", "list", "create"]
    /// ```
    ///
    /// ## Fix
    /// Provision volumes through a StorageClass and let users create claims only.
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: storage-manager
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["persistentvolumes"]
    ///   verbs: ["get", "list"]
    /// - apiGroups: [""]
    ///   resources: ["persistentvolumeclaims"]
    ///   verbs: ["get", "list", "create"]
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.9
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    ///   (persistent volume creation); "Persistent Volumes"
    pub static RULE = Rule {
        id: "RBAC006",
        name: "persistent-volume-creation",
        severity: Severity::Medium,
        summary: "Role or ClusterRole can create PersistentVolumes",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const PERSISTENT_VOLUMES: &[Target] = &[Target::cluster("", "persistentvolumes")];

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    report_resource_grants(
        resource,
        &["create"],
        PERSISTENT_VOLUMES,
        "it can mount node directories and other storage through them",
        out,
    );
}
