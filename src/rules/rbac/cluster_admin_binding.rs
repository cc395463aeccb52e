use crate::model::Resource;
use crate::model::rbac::binding;
use crate::rules::{Context, Findings, ParamDefault, Parameter, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// RoleBindings and ClusterRoleBindings whose `roleRef` is the ClusterRole
    /// `cluster-admin`. Each subject is one finding, except those listed in the
    /// `allowed_subjects` parameter and Kubernetes' own users and groups, whose
    /// names start with `system:` (RBAC011 reports the broad ones such as
    /// `system:authenticated`). Service accounts written as users or groups
    /// (`system:serviceaccount:ci:pipeline`, `system:serviceaccounts:ci`) are
    /// not Kubernetes' own and are reported.
    ///
    /// A RoleBinding to `cluster-admin` is reported too: it gives full control
    /// of the namespace, Roles, RoleBindings and Secrets included.
    ///
    /// ## Why it matters
    /// `cluster-admin` allows every action on every resource. A subject holding
    /// it, a CI pipeline's service account, an operator, a person's everyday
    /// account, is a single credential whose theft hands over the whole cluster
    /// and every secret in it. Few subjects need it, and none need it all the time.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: ci-admin
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// subjects:
    /// - kind: ServiceAccount
    ///   name: pipeline
    ///   namespace: ci
    /// ```
    ///
    /// ## Fix
    /// Bind a role that grants what the subject does, in the namespaces it works in.
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: ci-deployer
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: edit
    /// subjects:
    /// - kind: ServiceAccount
    ///   name: pipeline
    ///   namespace: ci
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.1
    /// - Kubernetes documentation: "Using RBAC Authorization" (user-facing roles);
    ///   "Role Based Access Control Good Practices"
    pub static RULE = Rule {
        id: "RBAC002",
        name: "cluster-admin-binding",
        severity: Severity::Critical,
        summary: "Binding grants the cluster-admin ClusterRole",
        frameworks: &[],
        parameters: &[Parameter {
            name: "allowed_subjects",
            description: "Names of subjects (users, groups or service accounts) that may hold cluster-admin, e.g. a break-glass group",
            default: ParamDefault::List(&[]),
        }],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(ctx: &Context, resource: &Resource, out: &mut Findings) {
    let Some(binding) = binding(resource) else {
        return;
    };
    if binding.role_kind != "ClusterRole" || binding.role_name != "cluster-admin" {
        return;
    }
    let scope = match (resource.kind.as_str(), resource.namespace.as_deref()) {
        ("RoleBinding", Some(namespace)) => format!("in namespace {namespace}"),
        ("RoleBinding", None) => "in its namespace".to_string(),
        _ => "in every namespace".to_string(),
    };
    let allowed = ctx.list("allowed_subjects");
    for subject in &binding.subjects {
        if is_kubernetes_identity(subject.name) || allowed.iter().any(|a| a == subject.name) {
            continue;
        }
        out.report(
            subject.node.span,
            format!("subjects[{}]", subject.index),
            format!(
                "{} gives {} {:?} cluster-admin {scope}",
                resource.display_name(),
                subject.kind,
                subject.name
            ),
        );
    }
}

/// A user or group of Kubernetes itself (`system:masters`,
/// `system:kube-controller-manager`), not a service account in disguise.
fn is_kubernetes_identity(name: &str) -> bool {
    name.starts_with("system:")
        && !name.starts_with("system:serviceaccount:")
        && !name.starts_with("system:serviceaccounts")
}
