use super::{Target, granting_rules, resource_grants};
use crate::model::Resource;
use crate::rules::{Context, Findings, ParamDefault, Parameter, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Roles and ClusterRoles with a rule that allows `get`, `list` or `watch` on
    /// `secrets` of the core API group, by name or through a wildcard (`"*"` verbs,
    /// API groups or resources). The finding points at the `resources` item that
    /// grants it, one finding per item.
    ///
    /// A rule limited by `resourceNames` is reported too, since it still reads
    /// the Secrets it names; set `ignore_named_secrets` to accept such rules.
    ///
    /// ## Why it matters
    /// Secrets hold database passwords, cloud credentials, TLS keys and service
    /// account tokens. Reading them is often one step away from acting as
    /// whoever they belong to, in the cluster or outside it. `list` and `watch`
    /// return the content of every Secret, not only their names.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: app-reader
    ///   namespace: shop
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["configmaps", "secrets"]
    ///   verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## Fix
    /// Give the workload the Secrets it needs as volumes or environment
    /// variables instead of reading them through the API.
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: app-reader
    ///   namespace: shop
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["configmaps"]
    ///   verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.1.2
    /// - Kubernetes documentation: "Role Based Access Control Good Practices"
    ///   (listing Secrets); "Good practices for Kubernetes Secrets"
    pub static RULE = Rule {
        id: "RBAC003",
        name: "secrets-read-access",
        severity: Severity::High,
        summary: "Role or ClusterRole can read Secrets",
        frameworks: &[],
        parameters: &[Parameter {
            name: "ignore_named_secrets",
            description: "Accept rules limited to named Secrets with resourceNames",
            default: ParamDefault::Bool(false),
        }],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const SECRETS: &[Target] = &[Target::namespaced("", "secrets")];

fn check(ctx: &Context, resource: &Resource, out: &mut Findings) {
    let ignore_named = ctx.flag("ignore_named_secrets");
    for rule in granting_rules(resource) {
        if ignore_named && rule.is_restricted_to_names() {
            continue;
        }
        for grant in resource_grants(resource, &rule, &["get", "list", "watch"], SECRETS) {
            out.report(
                grant.item.node.span,
                rule.item_path("resources", &grant.item),
                format!(
                    "{} {}: it can read the credentials they hold",
                    resource.display_name(),
                    grant.describe()
                ),
            );
        }
    }
}
