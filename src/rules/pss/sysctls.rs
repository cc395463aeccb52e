use super::BASELINE;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// Entries of the pod's `securityContext.sysctls` whose `name` is not in the
    /// safe set of Pod Security Admission (policy version 1.37):
    /// `kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`,
    /// `net.ipv4.ip_local_reserved_ports`, `net.ipv4.tcp_syncookies`,
    /// `net.ipv4.ping_group_range`, `net.ipv4.ip_unprivileged_port_start`,
    /// `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`,
    /// `net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes`,
    /// `net.ipv4.tcp_rmem`, `net.ipv4.tcp_wmem`,
    /// `net.ipv4.tcp_slow_start_after_idle` and `net.ipv4.tcp_notsent_lowat`.
    ///
    /// ## Why it matters
    /// Sysctls outside this set are not isolated per pod: they change the kernel
    /// settings of the whole node, for every other pod on it, or can exhaust node
    /// resources.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: queue
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///     - name: kernel.msgmax
    ///       value: "65536"
    ///   containers:
    ///   - name: broker
    ///     image: registry.example.com/broker:7.1.0
    /// ```
    ///
    /// ## Fix
    /// Keep to the safe sysctls. Node-wide tuning belongs in the node pool's
    /// configuration (on AKS, `linux_os_config.sysctl_config`), not in a pod.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: queue
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///     - name: net.ipv4.tcp_keepalive_time
    ///       value: "600"
    ///   containers:
    ///   - name: broker
    ///     image: registry.example.com/broker:7.1.0
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline profile: "Sysctls"
    ///   (Pod Security Admission check `sysctls`)
    pub static RULE = Rule {
        id: "PSS011",
        name: "unsafe-sysctl",
        severity: Severity::Medium,
        summary: "Pod sets a sysctl outside the safe set",
        frameworks: BASELINE,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const SAFE_SYSCTLS: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
];

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    let sysctls = pod
        .security_context()
        .and_then(|s| s.get("sysctls"))
        .map_or(&[][..], Node::items);
    for (index, sysctl) in sysctls.iter().enumerate() {
        let name = sysctl.entry("name");
        let safe = name
            .and_then(|n| n.value.as_str())
            .is_some_and(|n| SAFE_SYSCTLS.contains(&n));
        if safe {
            continue;
        }
        let (span, shown) = match name {
            Some(entry) => (entry.span(), entry.value.display_scalar()),
            None => (sysctl.span, "(unnamed)".to_string()),
        };
        out.report(
            span,
            pod.field_path(&format!("securityContext.sysctls[{index}].name")),
            format!("pod sets sysctl {shown}, outside the safe set"),
        );
    }
}
