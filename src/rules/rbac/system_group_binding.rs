use crate::model::rbac::binding;
use crate::model::{Resource, metadata_labels};
use crate::rules::{Context, Findings, ParamDefault, Parameter, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// RoleBindings and ClusterRoleBindings with a subject that stands for a
    /// crowd or for unlimited power:
    /// - the user `system:anonymous` (requests without credentials);
    /// - the group `system:unauthenticated` (the same requests);
    /// - the group `system:authenticated` (every user and service account with
    ///   valid credentials, of any identity provider the cluster trusts);
    /// - the group `system:masters` (bypasses RBAC entirely).
    ///
    /// Each such subject is one finding. Bindings to the ClusterRoles Kubernetes
    /// itself grants these groups (`system:basic-user`, `system:discovery`,
    /// `system:public-info-viewer`) are accepted; the `allowed_roles` parameter
    /// lists them. Kubernetes' own default bindings, labelled
    /// `kubernetes.io/bootstrapping: rbac-defaults` (such as `cluster-admin` for
    /// `system:masters`), are skipped too: the API server recreates them anyway.
    ///
    /// ## Why it matters
    /// Binding a role to `system:anonymous` or `system:unauthenticated` hands it
    /// to anyone who can reach the API server. `system:authenticated` is hardly
    /// narrower: on managed clusters it can include any account of the cloud
    /// provider's identity service. And `system:masters` members are never
    /// checked by RBAC at all; a binding to it is a sign that the group is used
    /// as an administration path, which should be reserved for break-glass
    /// certificates.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: everyone-can-view
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    /// - apiGroup: rbac.authorization.k8s.io
    ///   kind: Group
    ///   name: system:authenticated
    /// ```
    ///
    /// ## Fix
    /// Bind the role to the group of people who need it.
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: support-can-view
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: view
    /// subjects:
    /// - apiGroup: rbac.authorization.k8s.io
    ///   kind: Group
    ///   name: support-team
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.7
    /// - Kubernetes documentation: "Using RBAC Authorization" (default roles and
    ///   role bindings); "Authenticating" (anonymous requests);
    ///   "Role Based Access Control Good Practices"
    pub static RULE = Rule {
        id: "RBAC011",
        name: "broad-system-subject-binding",
        severity: Severity::Critical,
        summary: "Binding grants a role to anonymous users, all authenticated users or system:masters",
        frameworks: &[],
        parameters: &[Parameter {
            name: "allowed_roles",
            description: "ClusterRoles that may be bound to these subjects (Kubernetes binds its discovery roles to them by default)",
            default: ParamDefault::List(&[
                "system:basic-user",
                "system:discovery",
                "system:public-info-viewer",
            ]),
        }],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(ctx: &Context, resource: &Resource, out: &mut Findings) {
    let Some(binding) = binding(resource) else {
        return;
    };
    if is_bootstrap_default(resource) {
        return;
    }
    if binding.role_kind == "ClusterRole"
        && ctx
            .list("allowed_roles")
            .iter()
            .any(|r| r == binding.role_name)
    {
        return;
    }
    for subject in &binding.subjects {
        let who = match (subject.kind, subject.name) {
            ("User", "system:anonymous") | ("Group", "system:unauthenticated") => {
                "anyone who can reach the API server"
            }
            ("Group", "system:authenticated") => "every authenticated user and service account",
            ("Group", "system:masters") => "a group RBAC never restricts",
            _ => continue,
        };
        out.report(
            subject.node.span,
            format!("subjects[{}]", subject.index),
            format!(
                "{} grants {} {} to {} {:?}: {who}",
                resource.display_name(),
                binding.role_kind,
                binding.role_name,
                subject.kind,
                subject.name
            ),
        );
    }
}

/// One of Kubernetes' default bindings, which the API server recreates and
/// reconciles on startup whatever a repository says.
fn is_bootstrap_default(resource: &Resource) -> bool {
    metadata_labels(resource.metadata()).get("kubernetes.io/bootstrapping") == Some("rbac-defaults")
}
