use super::RESTRICTED;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Containers that run without a seccomp profile: neither the container nor the
    /// pod sets `securityContext.seccompProfile`. (A profile whose type is not
    /// `RuntimeDefault` or `Localhost` is reported by PSS010, on the pod or the
    /// container that sets it.) Windows pods are exempt.
    ///
    /// ## Why it matters
    /// Without a profile, containers run `Unconfined` on most clusters: every
    /// system call is allowed, including those kernel exploits use. The Restricted
    /// profile requires the filter to be turned on explicitly.
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
    /// Set the runtime's default profile once for the whole pod.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   template:
    ///     spec:
    ///       securityContext:
    ///         seccompProfile:
    ///           type: RuntimeDefault
    ///       containers:
    ///       - name: app
    ///         image: registry.example.com/web:1.4.2
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted profile: "Seccomp"
    ///   (Pod Security Admission check `seccompProfile_restricted`)
    /// - CIS Kubernetes Benchmark 5.6.2
    pub static RULE = Rule {
        id: "PSS017",
        name: "seccomp-profile-not-set",
        severity: Severity::Medium,
        summary: "Container runs without a seccomp profile",
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
    let pod_profile = pod
        .security_context()
        .and_then(|s| s.get("seccompProfile"))
        .filter(|p| !p.is_null());
    if pod_profile.is_some() {
        return; // valid, or reported by PSS010
    }
    for container in pod.containers() {
        let has_profile = container
            .security_context()
            .and_then(|s| s.get("seccompProfile"))
            .is_some_and(|p| !p.is_null());
        if has_profile {
            continue; // valid, or reported by PSS010
        }
        out.report(
            container.anchor_span(),
            container.field_path("securityContext.seccompProfile.type"),
            format!(
                "{} has no seccomp profile: set securityContext.seccompProfile.type on it or on the pod",
                container.label()
            ),
        );
    }
}
