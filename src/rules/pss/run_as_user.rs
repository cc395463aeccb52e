use super::RESTRICTED;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `securityContext.runAsUser: 0` on the pod or on any container. Pods with
    /// `hostUsers: false` are exempt (UID 0 in a user namespace maps to an
    /// unprivileged UID on the node).
    ///
    /// ## Why it matters
    /// UID 0 is root. Even with `runAsNonRoot: true` elsewhere, an explicit
    /// `runAsUser: 0` asks for root, and root inside the container keeps most of the
    /// power of root on the node.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata:
    ///   name: cleanup
    /// spec:
    ///   schedule: "0 3 * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: OnFailure
    ///           containers:
    ///           - name: cleanup
    ///             image: registry.example.com/cleanup:1.2.0
    ///             securityContext:
    ///               runAsUser: 0
    /// ```
    ///
    /// ## Fix
    /// Run as a dedicated non-zero UID.
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata:
    ///   name: cleanup
    /// spec:
    ///   schedule: "0 3 * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: OnFailure
    ///           containers:
    ///           - name: cleanup
    ///             image: registry.example.com/cleanup:1.2.0
    ///             securityContext:
    ///               runAsUser: 10001
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted profile: "Running as
    ///   Non-root user" (Pod Security Admission check `runAsUser`)
    /// - CIS Kubernetes Benchmark 5.2.7
    pub static RULE = Rule {
        id: "PSS016",
        name: "run-as-root-user",
        severity: Severity::High,
        summary: "Pod or container runs as UID 0 (runAsUser: 0)",
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
    if let Some(entry) = pod.security_context_entry("runAsUser")
        && entry.value.as_i64() == Some(0)
    {
        out.report(
            entry.span(),
            pod.field_path("securityContext.runAsUser"),
            "pod runs as root (runAsUser: 0)".to_string(),
        );
    }
    for container in pod.containers() {
        let Some(entry) = container.security_context_entry("runAsUser") else {
            continue;
        };
        if entry.value.as_i64() == Some(0) {
            out.report(
                entry.span(),
                container.field_path("securityContext.runAsUser"),
                format!("{} runs as root (runAsUser: 0)", container.label()),
            );
        }
    }
}
