use super::{Target, granting_rules, resource_grants};
use crate::model::Resource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Roles and ClusterRoles with a rule that allows either half of approving
    /// certificate signing requests (`certificates.k8s.io`):
    /// - `update` or `patch` on the `certificatesigningrequests/approval` subresource;
    /// - `approve` on `signers`.
    ///
    /// Wildcards count. The finding points at the `resources` item that grants
    /// it (one finding per item, both halves together when one item grants both).
    /// Either half is reported: the other may come from another role.
    ///
    /// ## Why it matters
    /// An approved request for the `kubernetes.io/kube-apiserver-client` signer
    /// becomes a client certificate the API server trusts, for whichever user and
    /// groups the request names, `system:masters` included. Such a certificate
    /// cannot be revoked before it expires. Approving requests is the job of the
    /// controller manager and of a few dedicated approvers.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: csr-approver
    /// rules:
    /// - apiGroups: ["certificates.k8s.io"]
    ///   resources: ["certificatesigningrequests", "certificatesigningrequests/approval"]
    ///   verbs: ["get", "list", "watch", "update"]
    /// - apiGroups: ["certificates.k8s.io"]
    ///   resources: ["signers"]
    ///   resourceNames: ["kubernetes.io/kube-apiserver-client"]
    ///   verbs: ["approve"]
    /// ```
    ///
    /// ## Fix
    /// Let the role read requests, and leave approval to an administrator.
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: csr-approver
    /// rules:
    /// - apiGroups: ["certificates.k8s.io"]
    ///   resources: ["certificatesigningrequests"]
    ///   verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.11
    /// - Kubernetes documentation: "Certificates and Certificate Signing
    ///   Requests" (authorization); "Role Based Access Control Good Practices"
    pub static RULE = Rule {
        id: "RBAC008",
        name: "csr-approval-access",
        severity: Severity::High,
        summary: "Role or ClusterRole can approve certificate signing requests",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const APPROVAL: &[Target] = &[Target::cluster(
    "certificates.k8s.io",
    "certificatesigningrequests/approval",
)];
const SIGNERS: &[Target] = &[Target::cluster("certificates.k8s.io", "signers")];

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    for rule in granting_rules(resource) {
        let mut grants = resource_grants(resource, &rule, &["update", "patch"], APPROVAL);
        grants.extend(resource_grants(resource, &rule, &["approve"], SIGNERS));
        grants.sort_by_key(|g| g.item.index);
        for same_item in grants.chunk_by(|a, b| a.item.index == b.item.index) {
            let Some(item) = same_item.first().map(|g| g.item) else {
                continue;
            };
            let described: Vec<String> = same_item.iter().map(|g| g.describe()).collect();
            out.report(
                item.node.span,
                rule.item_path("resources", &item),
                format!(
                    "{} {}: part of approving certificate signing requests",
                    resource.display_name(),
                    described.join(" and ")
                ),
            );
        }
    }
}
