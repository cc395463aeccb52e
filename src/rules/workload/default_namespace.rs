use super::namespace_entry;
use crate::model::Resource;
use crate::rules::{Context, Findings, ParamDefault, Parameter, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Namespaced objects placed in the `default` namespace with
    /// `metadata.namespace: default`. Cluster-scoped kinds (Namespace,
    /// ClusterRole, StorageClass, the custom resources a CustomResourceDefinition
    /// of the scan declares `scope: Cluster`, …) have no namespace and are not
    /// checked.
    ///
    /// An object that names no namespace lands in whatever namespace it is
    /// applied to, often `default`. Setting the boolean parameter
    /// `require_namespace` reports those too:
    /// ```yaml
    /// rules:
    ///   K8S010:
    ///     require_namespace: true
    /// ```
    ///
    /// ## Why it matters
    /// Namespaces are where policies attach: RBAC bindings, Pod Security
    /// admission levels, NetworkPolicies, quotas. The `default` namespace
    /// usually has none of them tuned, is writable by many, and mixes unrelated
    /// workloads, so whatever lands there escapes the boundaries the cluster was
    /// given.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: inventory
    ///   namespace: default
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: inventory
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: inventory
    ///     spec:
    ///       containers:
    ///       - name: inventory
    ///         image: registry.example.com/inventory:1.0.3
    /// ```
    ///
    /// ## Fix
    /// Give the application its own namespace, with its policies.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: inventory
    ///   labels:
    ///     pod-security.kubernetes.io/enforce: restricted
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: inventory
    ///   namespace: inventory
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: inventory
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: inventory
    ///     spec:
    ///       containers:
    ///       - name: inventory
    ///         image: registry.example.com/inventory:1.0.3
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.6.4 (the default namespace should not be used)
    /// - Kubernetes documentation, "Namespaces"
    pub static RULE = Rule {
        id: "K8S010",
        name: "default-namespace",
        severity: Severity::Low,
        summary: "Object is in the default namespace",
        frameworks: &[],
        parameters: &[Parameter {
            name: "require_namespace",
            description: "Also report namespaced objects that name no namespace",
            default: ParamDefault::Bool(false),
        }],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(ctx: &Context, resource: &Resource, out: &mut Findings) {
    if let Some(entry) = namespace_entry(ctx, resource) {
        if entry.value.as_str() == Some("default") {
            out.report(
                entry.span(),
                "metadata.namespace".to_string(),
                format!("{} is in the default namespace", resource.kind),
            );
        }
        return;
    }
    if !ctx.flag("require_namespace") || ctx.repo.is_cluster_scoped(resource) {
        return;
    }
    let written = resource.metadata().and_then(|m| m.entry("namespace"));
    out.report(
        written.map_or_else(|| resource.anchor_span(), |e| e.span()),
        "metadata.namespace".to_string(),
        format!(
            "{} names no namespace: it goes wherever it is applied, often the default namespace",
            resource.kind
        ),
    );
}
