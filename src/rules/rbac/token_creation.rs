use super::{Target, report_resource_grants};
use crate::model::Resource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Roles and ClusterRoles with a rule that allows `create` on the
    /// `serviceaccounts/token` subresource (core API group): by name, as
    /// `*/token`, or as `*`. The finding points at the `resources` item that
    /// grants it.
    ///
    /// ## Why it matters
    /// Creating a token for a service account (what `kubectl create token` does)
    /// yields a credential that acts as that service account, for as long as the
    /// token lives. Its holder gets every permission of every service account it
    /// may mint tokens for, in the cluster and in cloud services that trust the
    /// cluster's tokens (workload identity federation).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: token-issuer
    ///   namespace: ci
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["serviceaccounts", "serviceaccounts/token"]
    ///   verbs: ["get", "create"]
    /// ```
    ///
    /// ## Fix
    /// Let pods receive their own tokens through projected volumes instead.
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: token-issuer
    ///   namespace: ci
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["serviceaccounts"]
    ///   verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.13
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    ///   (token request); "Managing Service Accounts" (TokenRequest API)
    pub static RULE = Rule {
        id: "RBAC010",
        name: "service-account-token-creation",
        severity: Severity::High,
        summary: "Role or ClusterRole can create service account tokens",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const SERVICE_ACCOUNT_TOKENS: &[Target] = &[Target::namespaced("", "serviceaccounts/token")];

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    report_resource_grants(
        resource,
        &["create"],
        SERVICE_ACCOUNT_TOKENS,
        "it can obtain credentials of service accounts",
        out,
    );
}
