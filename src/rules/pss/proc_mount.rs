use super::BASELINE;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Containers that set `securityContext.procMount` to anything but `Default`
    /// (in practice `Unmasked`), in pods that share the host's user namespace.
    /// Pods with `hostUsers: false` are left to the Restricted rule PSS019, as in
    /// Pod Security Admission from policy version 1.35.
    ///
    /// ## Why it matters
    /// The default `/proc` mount masks and makes read-only the paths that leak host
    /// information or let a process reconfigure the kernel. `Unmasked` exposes them.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   containers:
    ///   - name: buildkit
    ///     image: registry.example.com/buildkit:0.13.0
    ///     securityContext:
    ///       procMount: Unmasked
    /// ```
    ///
    /// ## Fix
    /// Remove `procMount` (or set `Default`). Workloads that need an unmasked
    /// `/proc`, such as nested container builds, should run in a user namespace
    /// (`hostUsers: false`), where the Baseline profile allows it.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   containers:
    ///   - name: buildkit
    ///     image: registry.example.com/buildkit:0.13.0
    ///     securityContext:
    ///       procMount: Default
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline profile: "/proc Mount Type"
    ///   (Pod Security Admission check `procMount`)
    pub static RULE = Rule {
        id: "PSS009",
        name: "proc-mount-unmasked",
        severity: Severity::Medium,
        summary: "Container unmasks /proc (procMount other than Default)",
        frameworks: BASELINE,
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
    report_proc_mounts(&pod, out);
}

/// Reports every container whose `procMount` is set to something but `Default`.
pub(super) fn report_proc_mounts(pod: &crate::model::PodTemplate<'_>, out: &mut Findings) {
    for container in pod.containers() {
        let Some(entry) = container.security_context_entry("procMount") else {
            continue;
        };
        if entry.value.is_null() || entry.value.as_str() == Some("Default") {
            continue;
        }
        out.report(
            entry.span(),
            container.field_path("securityContext.procMount"),
            format!(
                "{} sets procMount {}",
                container.label(),
                entry.value.display_scalar()
            ),
        );
    }
}
