use super::RESTRICTED;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That every container must run as a non-root user: `runAsNonRoot: true` in the
    /// pod's `securityContext` (inherited by every container) or in each container's
    /// own. An explicit `runAsNonRoot: false`, on the pod or on a container, is
    /// reported where it is written; a container that neither sets it nor inherits
    /// it from the pod is reported at the container. Pods with `hostUsers: false` are exempt
    /// (root in a user namespace is not root on the node).
    ///
    /// ## Why it matters
    /// Root in a container is root on the node as far as the kernel is concerned:
    /// any escape, a writable hostPath or a kernel bug becomes a node compromise.
    /// `runAsNonRoot: true` makes the kubelet refuse to start a container whose
    /// image would run as UID 0.
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
    ///       - name: sidecar
    ///         image: registry.example.com/proxy:2.0.0
    ///         securityContext:
    ///           runAsNonRoot: false
    /// ```
    ///
    /// ## Fix
    /// Set it once at pod level, and build images that declare a non-root `USER`.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     spec:
    ///       securityContext:
    ///         runAsNonRoot: true
    ///       containers:
    ///       - name: app
    ///         image: registry.example.com/web:1.4.2
    ///       - name: sidecar
    ///         image: registry.example.com/proxy:2.0.0
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted profile: "Running as
    ///   Non-root" (Pod Security Admission check `runAsNonRoot`)
    /// - CIS Kubernetes Benchmark 5.2.7
    pub static RULE = Rule {
        id: "PSS015",
        name: "run-as-non-root-not-set",
        severity: Severity::Medium,
        summary: "Container may run as root (runAsNonRoot not true)",
        frameworks: RESTRICTED,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    if pod.in_user_namespace() {
        return;
    }
    // Containers that do not set the field are covered when the pod sets it to
    // true, and already reported (at the pod) when it sets it to anything else.
    let mut pod_covers = false;
    if let Some(entry) = pod.security_context_entry("runAsNonRoot") {
        match entry.value.as_bool() {
            Some(true) => pod_covers = true,
            _ if entry.value.is_null() => {}
            _ => {
                pod_covers = true;
                out.report(
                    entry.span(),
                    pod.field_path("securityContext.runAsNonRoot"),
                    format!("pod sets runAsNonRoot: {}", entry.value.display_scalar()),
                );
            }
        }
    }
    for container in pod.containers() {
        let field = container.field_path("securityContext.runAsNonRoot");
        match container.security_context_entry("runAsNonRoot") {
            Some(entry) if entry.value.as_bool() == Some(true) => {}
            Some(entry) if !entry.value.is_null() => out.report(
                entry.span(),
                field,
                format!(
                    "{} sets runAsNonRoot: {}",
                    container.label(),
                    entry.value.display_scalar()
                ),
            ),
            _ if pod_covers => {}
            _ => out.report(
                container.anchor_span(),
                field,
                format!(
                    "{} does not set securityContext.runAsNonRoot: true, and the pod does not either",
                    container.label()
                ),
            ),
        }
    }
}
