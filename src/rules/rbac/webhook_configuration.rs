use super::{Target, report_resource_grants};
use crate::model::Resource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Roles and ClusterRoles with a rule that allows `create`, `update`,
    /// `patch`, `delete` or `deletecollection` on `validatingwebhookconfigurations`
    /// or `mutatingwebhookconfigurations` (`admissionregistration.k8s.io`), by
    /// name or through a wildcard. The finding points at the `resources` item
    /// that grants it, one finding per item.
    ///
    /// ## Why it matters
    /// Admission webhooks see, and for mutating ones rewrite, the objects sent to
    /// the API server. Whoever writes their configuration can point a webhook at
    /// a server of their own, which then reads every Secret created and injects
    /// containers into every pod, or delete the webhooks that enforce the
    /// cluster's policies.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: mesh-installer
    /// rules:
    /// - apiGroups: ["admissionregistration.k8s.io"]
    ///   resources: ["mutatingwebhookconfigurations"]
    ///   verbs: ["get", "list", "watch", "patch"]
    /// ```
    ///
    /// ## Fix
    /// Keep write access to webhook configurations for the cluster administrators
    /// who install the products that need them; grant the products' controllers
    /// read access, or write access to their own configuration only (with
    /// `resourceNames`) if they must update a CA bundle.
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: mesh-installer
    /// rules:
    /// - apiGroups: ["admissionregistration.k8s.io"]
    ///   resources: ["mutatingwebhookconfigurations"]
    ///   verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.12
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    ///   (control admission webhooks); "Dynamic Admission Control"
    pub static RULE = Rule {
        id: "RBAC009",
        name: "admission-webhook-write-access",
        severity: Severity::High,
        summary: "Role or ClusterRole can change admission webhook configurations",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const WEBHOOK_CONFIGURATIONS: &[Target] = &[
    Target::cluster(
        "admissionregistration.k8s.io",
        "validatingwebhookconfigurations",
    ),
    Target::cluster(
        "admissionregistration.k8s.io",
        "mutatingwebhookconfigurations",
    ),
];

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    report_resource_grants(
        resource,
        &["create", "update", "patch", "delete", "deletecollection"],
        WEBHOOK_CONFIGURATIONS,
        "it can intercept or disable admission control",
        out,
    );
}
