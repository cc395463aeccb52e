//! Pod Security Standards: the Baseline and Restricted profiles, checked the way
//! Kubernetes' Pod Security Admission checks them (policy version 1.37).
//!
//! Restricted includes Baseline. Where a Restricted check replaces a Baseline
//! check upstream, the Restricted rule here reports only what the Baseline rule
//! does not, so a field is never reported twice under `pss-restricted`.

mod allow_privilege_escalation;
mod apparmor;
mod capabilities_baseline;
mod capabilities_restricted;
mod host_namespaces;
mod host_path_volumes;
mod host_ports;
mod host_probes;
mod privileged;
mod proc_mount;
mod proc_mount_restricted;
mod restricted_volumes;
mod run_as_non_root;
mod run_as_user;
mod seccomp_baseline;
mod seccomp_restricted;
mod selinux;
mod sysctls;
mod windows_host_process;

use super::Rule;

/// Frameworks of a Baseline rule (Restricted includes Baseline).
pub const BASELINE: &[&str] = &["pss-baseline", "pss-restricted"];
/// Frameworks of a Restricted-only rule.
pub const RESTRICTED: &[&str] = &["pss-restricted"];

/// The Pod Security rules, in ID order.
pub static RULES: &[&Rule] = &[
    &privileged::RULE,
    &windows_host_process::RULE,
    &host_namespaces::RULE,
    &host_path_volumes::RULE,
    &host_ports::RULE,
    &capabilities_baseline::RULE,
    &apparmor::RULE,
    &selinux::RULE,
    &proc_mount::RULE,
    &seccomp_baseline::RULE,
    &sysctls::RULE,
    &host_probes::RULE,
    &restricted_volumes::RULE,
    &allow_privilege_escalation::RULE,
    &run_as_non_root::RULE,
    &run_as_user::RULE,
    &seccomp_restricted::RULE,
    &capabilities_restricted::RULE,
    &proc_mount_restricted::RULE,
];

/// Capabilities the Baseline profile lets a container add (the container
/// runtime's default set).
pub(super) const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

/// Seccomp profile types both profiles accept.
pub(super) fn valid_seccomp_type(value: Option<&str>) -> bool {
    matches!(value, Some("RuntimeDefault" | "Localhost"))
}
