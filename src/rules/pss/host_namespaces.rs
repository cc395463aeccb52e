use super::BASELINE;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Pod specs that set `hostNetwork: true`, `hostPID: true` or `hostIPC: true`.
    ///
    /// ## Why it matters
    /// Sharing a host namespace removes a layer of isolation. With `hostNetwork`
    /// the pod sees every interface of the node, can bind its ports and reach
    /// services listening on localhost (the kubelet, cloud metadata endpoints) and
    /// bypasses NetworkPolicies. With `hostPID` it sees and can signal every process
    /// on the node and read their environment. With `hostIPC` it can read and write
    /// shared memory of host processes.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: metrics
    /// spec:
    ///   template:
    ///     spec:
    ///       hostNetwork: true
    ///       hostPID: true
    ///       containers:
    ///       - name: exporter
    ///         image: registry.example.com/exporter:0.9.0
    /// ```
    ///
    /// ## Fix
    /// Remove the fields (they default to `false`). Expose the workload through a
    /// Service instead of the node's network.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: metrics
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: exporter
    ///         image: registry.example.com/exporter:0.9.0
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline profile: "Host Namespaces"
    ///   (Pod Security Admission check `hostNamespaces`)
    /// - CIS Kubernetes Benchmark 5.2.3 (hostPID), 5.2.4 (hostIPC), 5.2.5
    ///   (hostNetwork); CIS AKS Benchmark 4.2.2, 4.2.3, 4.2.4
    pub static RULE = Rule {
        id: "PSS003",
        name: "host-namespaces",
        severity: Severity::High,
        summary: "Pod shares the host's network, PID or IPC namespace",
        frameworks: BASELINE,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const NAMESPACES: [(&str, &str); 3] = [
    ("hostNetwork", "network"),
    ("hostPID", "process (PID)"),
    ("hostIPC", "IPC"),
];

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    for (field, namespace) in NAMESPACES {
        let Some(entry) = pod.spec().entry(field) else {
            continue;
        };
        if entry.value.as_bool() == Some(true) {
            out.report(
                entry.span(),
                pod.field_path(field),
                format!("pod shares the host's {namespace} namespace ({field}: true)"),
            );
        }
    }
}
