use crate::model::{Resource, Selector, pod_template};
use crate::rules::{Context, Findings, Related, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Workloads (Pods and the pod templates of Deployments, StatefulSets,
    /// DaemonSets, ReplicaSets, ReplicationControllers, Jobs and CronJobs) that no
    /// NetworkPolicy of the scanned repository selects: no policy in the
    /// workload's namespace has a `podSelector` matching the pod template's labels
    /// (an empty selector matches every pod). Objects without a namespace are
    /// matched with policies without a namespace. Pods on the host network are
    /// skipped: NetworkPolicies do not apply to them.
    ///
    /// The check looks across files: the policy may live anywhere in the scan.
    ///
    /// ## Why it matters
    /// Pods that no NetworkPolicy selects accept traffic from, and send traffic
    /// to, any pod in the cluster. One compromised workload can then reach every
    /// database, internal API and metadata endpoint. A default-deny policy per
    /// namespace, plus policies that allow the flows each workload needs, contains
    /// that movement.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: orders
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels: {app: orders}
    ///   template:
    ///     metadata:
    ///       labels: {app: orders}
    ///     spec:
    ///       containers:
    ///       - name: app
    ///         image: registry.example.com/shop/orders:3.2.0
    /// ```
    ///
    /// ## Fix
    /// Add a default-deny policy to the namespace, then allow the expected flows.
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress, Egress]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: orders
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels: {app: orders}
    ///   template:
    ///     metadata:
    ///       labels: {app: orders}
    ///     spec:
    ///       containers:
    ///       - name: app
    ///         image: registry.example.com/shop/orders:3.2.0
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Network Policies"
    /// - CIS Kubernetes Benchmark 5.3.2; CIS AKS Benchmark 4.4.2
    pub static RULE = Rule {
        id: "NET002",
        name: "network-policy-missing",
        severity: Severity::Medium,
        summary: "No NetworkPolicy selects the workload's pods",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

/// Most policies listed as related locations when none selects the workload.
const MAX_RELATED: usize = 3;

fn check(context: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    if pod.spec().get("hostNetwork").and_then(|n| n.as_bool()) == Some(true) {
        return;
    }
    let labels = pod.labels();
    let namespace = resource.namespace.as_deref();
    let policies: Vec<&Resource> = context
        .repo
        .in_namespace("networking.k8s.io", "NetworkPolicy", namespace)
        .collect();
    let selected =
        policies.iter().any(
            |policy| match policy.body.get_path(&["spec", "podSelector"]) {
                Some(selector) => Selector::label_selector(selector).matches(&labels),
                None => true,
            },
        );
    if selected {
        return;
    }
    let place = match namespace {
        Some(ns) => format!("namespace {ns:?}"),
        None => "the objects without a namespace".to_string(),
    };
    let message = if policies.is_empty() {
        format!(
            "no NetworkPolicy in {place}: the pods of this {} accept and send any traffic",
            resource.kind
        )
    } else {
        format!(
            "none of the {} NetworkPolicies in {place} selects the pods of this {}",
            policies.len(),
            resource.kind
        )
    };
    let related = policies
        .iter()
        .take(MAX_RELATED)
        .map(|policy| Related {
            span: policy.anchor_span(),
            message: format!(
                "NetworkPolicy {} selects other pods",
                policy.name.as_deref().unwrap_or("(unnamed)")
            ),
        })
        .collect();
    out.report_related(
        resource.anchor_span(),
        "metadata.name".to_string(),
        message,
        related,
    );
}
