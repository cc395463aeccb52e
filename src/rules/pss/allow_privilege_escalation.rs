use super::RESTRICTED;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Containers, init containers and ephemeral containers that do not set
    /// `securityContext.allowPrivilegeEscalation: false` explicitly. Windows pods
    /// (`spec.os.name: windows`) are exempt.
    ///
    /// ## Why it matters
    /// Unless it is set to `false`, a process in the container can gain more
    /// privileges than its parent, through set-user-ID binaries or file
    /// capabilities. The default is to allow it, so the field must be written.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: app
    ///         image: registry.example.com/web:1.4.2
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: app
    ///         image: registry.example.com/web:1.4.2
    ///         securityContext:
    ///           allowPrivilegeEscalation: false
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted profile: "Privilege
    ///   Escalation" (Pod Security Admission check `allowPrivilegeEscalation`)
    /// - CIS Kubernetes Benchmark 5.2.6; CIS AKS Benchmark 4.2.5
    pub static RULE = Rule {
        id: "PSS014",
        name: "privilege-escalation-allowed",
        severity: Severity::Medium,
        summary: "Container does not set allowPrivilegeEscalation: false",
        frameworks: RESTRICTED,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    if pod.is_windows() {
        return;
    }
    for container in pod.containers() {
        let field = container.field_path("securityContext.allowPrivilegeEscalation");
        match container.security_context_entry("allowPrivilegeEscalation") {
            Some(entry) if entry.value.as_bool() == Some(false) => {}
            Some(entry) if !entry.value.is_null() => out.report(
                entry.span(),
                field,
                format!(
                    "{} sets allowPrivilegeEscalation: {}",
                    container.label(),
                    entry.value.display_scalar()
                ),
            ),
            _ => out.report(
                container.anchor_span(),
                field,
                format!(
                    "{} does not set securityContext.allowPrivilegeEscalation: false",
                    container.label()
                ),
            ),
        }
    }
}
