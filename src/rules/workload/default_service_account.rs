use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Pods (and pod templates) that run as their namespace's `default` service
    /// account: `serviceAccountName` (or the deprecated `serviceAccount`) is left
    /// out, empty, or `default`.
    ///
    /// ## Why it matters
    /// Every namespace has a `default` service account and every pod that names
    /// no other one runs as it. A permission granted to `default` for one
    /// workload therefore reaches all of them, and audit logs cannot tell the
    /// workloads apart. A service account per workload keeps permissions and
    /// their traces specific.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: billing
    ///   namespace: finance
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: billing
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: billing
    ///     spec:
    ///       containers:
    ///       - name: billing
    ///         image: registry.example.com/billing:5.1.0
    /// ```
    ///
    /// ## Fix
    /// Create a ServiceAccount for the workload, bind to it only what the
    /// workload needs, and name it in the pod spec.
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: billing
    ///   namespace: finance
    /// automountServiceAccountToken: false
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: billing
    ///   namespace: finance
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: billing
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: billing
    ///     spec:
    ///       serviceAccountName: billing
    ///       containers:
    ///       - name: billing
    ///         image: registry.example.com/billing:5.1.0
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.5 (do not actively use the default service
    ///   account)
    /// - Kubernetes documentation, "Service Accounts" and "Configure Service
    ///   Accounts for Pods"
    pub static RULE = Rule {
        id: "K8S008",
        name: "default-service-account",
        severity: Severity::Medium,
        summary: "Pod runs as the default service account",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    if pod.service_account() != "default" {
        return;
    }
    match pod.service_account_entry() {
        Some(entry) => out.report(
            entry.span(),
            pod.field_path(&entry.key.text),
            format!(
                "pod sets {} to {}: it runs as the default service account",
                entry.key.text,
                entry.value.display_scalar()
            ),
        ),
        None => out.report(
            pod.anchor_span(),
            pod.field_path("serviceAccountName"),
            "pod names no service account: it runs as the default service account".to_string(),
        ),
    }
}
