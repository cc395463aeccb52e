use super::{BASELINE, valid_seccomp_type};
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::{Entry, Node};

declare_rule! {
    /// ## What it checks
    /// `securityContext.seccompProfile` on the pod or a container whose `type` is
    /// not `RuntimeDefault` or `Localhost`: `Unconfined`, or a profile without a
    /// type.
    ///
    /// When a Restricted rule is selected too, Windows pods are not checked: the
    /// Restricted profile replaces this check with one that exempts them.
    ///
    /// ## Why it matters
    /// Seccomp filters the system calls a container may make. The runtime's default
    /// profile blocks dozens of calls that containers do not need and that kernel
    /// exploits rely on; `Unconfined` turns that filter off.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       securityContext:
    ///         seccompProfile:
    ///           type: Unconfined
    ///       containers:
    ///       - name: migrate
    ///         image: registry.example.com/migrate:2.3.0
    /// ```
    ///
    /// ## Fix
    /// Use the runtime's default profile, or a local profile written for the
    /// workload.
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    /// spec:
    ///   template:
    ///     spec:
    ///       restartPolicy: Never
    ///       securityContext:
    ///         seccompProfile:
    ///           type: RuntimeDefault
    ///       containers:
    ///       - name: migrate
    ///         image: registry.example.com/migrate:2.3.0
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline profile: "Seccomp"
    ///   (Pod Security Admission check `seccompProfile_baseline`)
    /// - CIS Kubernetes Benchmark 5.6.2
    pub static RULE = Rule {
        id: "PSS010",
        name: "seccomp-unconfined",
        severity: Severity::Medium,
        summary: "Seccomp profile set to Unconfined (or to no type)",
        frameworks: BASELINE,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

/// The entry to report when a `seccompProfile` is set to a forbidden type.
fn forbidden_profile(security_context: Option<&Node>) -> Option<(&Entry, String)> {
    let profile = security_context?.entry("seccompProfile")?;
    if profile.value.is_null() {
        return None;
    }
    match profile.value.entry("type") {
        Some(kind) if valid_seccomp_type(kind.value.as_str()) => None,
        Some(kind) => Some((kind, kind.value.display_scalar())),
        None => Some((profile, "(none)".to_string())),
    }
}

fn check(context: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    if context.pss_restricted && pod.is_windows() {
        return;
    }
    if let Some((entry, value)) = forbidden_profile(pod.security_context()) {
        out.report(
            entry.span(),
            pod.field_path("securityContext.seccompProfile.type"),
            format!("pod sets seccomp profile type {value}"),
        );
    }
    for container in pod.containers() {
        if let Some((entry, value)) = forbidden_profile(container.security_context()) {
            out.report(
                entry.span(),
                container.field_path("securityContext.seccompProfile.type"),
                format!("{} sets seccomp profile type {value}", container.label()),
            );
        }
    }
}
