use super::RESTRICTED;
use super::proc_mount::report_proc_mounts;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Containers that set `securityContext.procMount` to anything but `Default` in
    /// pods running in a user namespace (`hostUsers: false`). The Baseline profile
    /// allows an unmasked `/proc` there (PSS009 covers the other pods); the
    /// Restricted profile does not, from policy version 1.35.
    ///
    /// ## Why it matters
    /// A user namespace limits what root in the container can do on the node, but an
    /// unmasked `/proc` still exposes kernel interfaces and information that the
    /// default mount hides. The Restricted profile keeps both layers.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   hostUsers: false
    ///   containers:
    ///   - name: buildkit
    ///     image: registry.example.com/buildkit:0.13.0
    ///     securityContext:
    ///       procMount: Unmasked
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: builder
    /// spec:
    ///   hostUsers: false
    ///   containers:
    ///   - name: buildkit
    ///     image: registry.example.com/buildkit:0.13.0
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted profile: "/proc Mount Type"
    ///   (Pod Security Admission check `procMount_restricted`, policy version 1.35
    ///   and later)
    pub static RULE = Rule {
        id: "PSS019",
        name: "proc-mount-unmasked-in-user-namespace",
        severity: Severity::Low,
        summary: "Container unmasks /proc in a user-namespace pod",
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
        report_proc_mounts(&pod, out);
    }
}
