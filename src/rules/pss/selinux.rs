use super::BASELINE;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// `securityContext.seLinuxOptions` on the pod or a container that:
    /// - sets `type` to anything but `container_t`, `container_init_t`,
    ///   `container_kvm_t`, `container_engine_t` or an empty string;
    /// - sets `user` or `role` at all.
    ///
    /// ## Why it matters
    /// On SELinux nodes, the container types confine what a container may touch
    /// on the host. A custom type such as `spc_t` ("super privileged container") or
    /// a custom user or role lifts that confinement.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: backup
    /// spec:
    ///   securityContext:
    ///     seLinuxOptions:
    ///       type: spc_t
    ///   containers:
    ///   - name: agent
    ///     image: registry.example.com/backup:4.0.0
    ///     securityContext:
    ///       seLinuxOptions:
    ///         user: system_u
    /// ```
    ///
    /// ## Fix
    /// Remove the custom type, user and role. Setting only `level` (the MCS
    /// categories) is allowed.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: backup
    /// spec:
    ///   securityContext:
    ///     seLinuxOptions:
    ///       level: "s0:c123,c456"
    ///   containers:
    ///   - name: agent
    ///     image: registry.example.com/backup:4.0.0
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline profile: "SELinux"
    ///   (Pod Security Admission check `seLinuxOptions`, policy version 1.31 and
    ///   later for `container_engine_t`)
    pub static RULE = Rule {
        id: "PSS008",
        name: "selinux-options",
        severity: Severity::Medium,
        summary: "Custom SELinux type, user or role",
        frameworks: BASELINE,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const ALLOWED_TYPES: &[&str] = &[
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

/// Reports the forbidden parts of one `seLinuxOptions`.
fn check_options(security_context: Option<&Node>, who: &str, path: &str, out: &mut Findings) {
    let Some(options) = security_context.and_then(|s| s.get("seLinuxOptions")) else {
        return;
    };
    if let Some(entry) = options.entry("type") {
        let allowed = entry.value.is_null()
            || entry
                .value
                .as_str()
                .is_some_and(|t| ALLOWED_TYPES.contains(&t));
        if !allowed {
            out.report(
                entry.span(),
                format!("{path}.securityContext.seLinuxOptions.type"),
                format!("{who} sets SELinux type {}", entry.value.display_scalar()),
            );
        }
    }
    for field in ["user", "role"] {
        let Some(entry) = options.entry(field) else {
            continue;
        };
        if entry.value.is_null() || entry.value.as_str() == Some("") {
            continue;
        }
        out.report(
            entry.span(),
            format!("{path}.securityContext.seLinuxOptions.{field}"),
            format!(
                "{who} sets SELinux {field} {}",
                entry.value.display_scalar()
            ),
        );
    }
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    check_options(pod.security_context(), "pod", pod.path, out);
    for container in pod.containers() {
        check_options(
            container.security_context(),
            &container.label(),
            &container.path(),
            out,
        );
    }
}
