use super::{namespace_entry, quoted_list};
use crate::model::Resource;
use crate::rules::{Context, Findings, ParamDefault, Parameter, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Namespaced objects whose `metadata.namespace` is not in the
    /// `allowed_namespaces` parameter. Objects that name no namespace are not
    /// reported (K8S010 with `require_namespace` covers them), nor are
    /// cluster-scoped kinds.
    ///
    /// The rule does nothing until the list is set, in `.vigie.yaml` (typically
    /// once per repository, with the namespaces its team owns):
    /// ```yaml
    /// rules:
    ///   K8S013:
    ///     allowed_namespaces: [payments, payments-jobs]
    /// ```
    ///
    /// ## Why it matters
    /// Namespaces are the administrative boundary between teams: their RBAC
    /// bindings, quotas and policies are set per namespace. A repository that
    /// writes into a namespace it does not own (`kube-system`, another team's)
    /// bypasses that boundary, whether by mistake or on purpose, and a GitOps
    /// controller with broad rights will apply it.
    ///
    /// ## Example
    /// ```yaml
    /// # vigie-params: {"allowed_namespaces": ["payments"]}
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: coredns-custom
    ///   namespace: kube-system
    /// data:
    ///   payments.override: |
    ///     rewrite name api.payments.internal api.payments.svc.cluster.local
    /// ```
    ///
    /// ## Fix
    /// Keep the repository's objects in its own namespaces; ask the owners of
    /// another namespace to make the change there.
    /// ```yaml
    /// # vigie-params: {"allowed_namespaces": ["payments"]}
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: payments-dns
    ///   namespace: payments
    /// data:
    ///   upstream: api.payments.svc.cluster.local
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.6.1 (namespaces as administrative boundaries)
    /// - Kubernetes documentation, "Namespaces"
    pub static RULE = Rule {
        id: "K8S013",
        name: "namespace-not-allowed",
        severity: Severity::Medium,
        summary: "Object is in a namespace that is not allowed",
        frameworks: &[],
        parameters: &[Parameter {
            name: "allowed_namespaces",
            description: "Namespaces objects may be placed in; empty disables the rule",
            default: ParamDefault::List(&[]),
        }],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(ctx: &Context, resource: &Resource, out: &mut Findings) {
    let allowed = ctx.list("allowed_namespaces");
    if allowed.is_empty() {
        return;
    }
    let Some(entry) = namespace_entry(ctx, resource) else {
        return;
    };
    let Some(namespace) = entry.value.as_str() else {
        return;
    };
    if allowed.iter().any(|a| a == namespace) {
        return;
    }
    out.report(
        entry.span(),
        "metadata.namespace".to_string(),
        format!(
            "{} is in namespace {namespace:?}, which is not among the allowed namespaces ({})",
            resource.kind,
            quoted_list(allowed.iter().map(String::as_str))
        ),
    );
}
