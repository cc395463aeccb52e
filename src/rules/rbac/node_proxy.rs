use super::{Target, report_resource_grants};
use crate::model::Resource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Roles and ClusterRoles with a rule that gives access to the `nodes/proxy`
    /// subresource (core API group): by name, as `*/proxy`, or as `*`. Access
    /// means any of the verbs a proxied request is authorized as (`get`,
    /// `create`, `update`, `patch`, `delete`), including `"*"`. The finding points
    /// at the `resources` item that grants it.
    ///
    /// ## Why it matters
    /// `nodes/proxy` forwards requests to the kubelet API of any node, past
    /// admission control; the API server's audit log sees only a proxied
    /// request, not the command it carries. The
    /// kubelet API runs commands in containers, reads their logs and lists the
    /// node's pods: access to it is close to control of every workload on the
    /// node. Even `get` is enough, since the kubelet authorizes command execution
    /// over a WebSocket as a `get`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: metrics-collector
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["nodes", "nodes/proxy", "nodes/metrics"]
    ///   verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## Fix
    /// Read node metrics through `nodes/metrics` (or `nodes/stats`) instead.
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: metrics-collector
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["nodes", "nodes/metrics"]
    ///   verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.10
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    ///   (access to the proxy subresource of nodes); "Kubelet authentication/authorization"
    pub static RULE = Rule {
        id: "RBAC007",
        name: "node-proxy-access",
        severity: Severity::High,
        summary: "Role or ClusterRole gives access to the nodes/proxy subresource",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const NODE_PROXY: &[Target] = &[Target::cluster("", "nodes/proxy")];

/// The verbs the API server authorizes proxied requests as (one per HTTP method).
const PROXY_VERBS: &[&str] = &["get", "create", "update", "patch", "delete"];

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    report_resource_grants(
        resource,
        PROXY_VERBS,
        NODE_PROXY,
        "it can reach the kubelet API of nodes, past admission control",
        out,
    );
}
