use super::{BASELINE, BASELINE_CAPABILITIES};
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// Capabilities in `securityContext.capabilities.add` that are not in the
    /// Baseline set: `AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `FSETID`,
    /// `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID`
    /// and `SYS_CHROOT`. Names are compared exactly, as Kubernetes does
    /// (`CAP_SYS_ADMIN` or `sys_admin` are not in the set either).
    ///
    /// When a Restricted rule is selected too, Windows pods are not checked: the
    /// Restricted profile replaces this check with one that exempts them.
    ///
    /// ## Why it matters
    /// Capabilities outside the default set are the building blocks of container
    /// escapes: `SYS_ADMIN` can mount file systems and manipulate namespaces,
    /// `NET_ADMIN` and `NET_RAW` can reconfigure or spoof the network, `SYS_PTRACE`
    /// can read other processes, `SYS_MODULE` can load kernel code.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: vpn
    /// spec:
    ///   containers:
    ///   - name: tunnel
    ///     image: registry.example.com/tunnel:5.2.0
    ///     securityContext:
    ///       capabilities:
    ///         add: ["NET_ADMIN", "NET_RAW"]
    /// ```
    ///
    /// ## Fix
    /// Drop the extra capabilities. Network plumbing that needs them belongs in the
    /// CNI plugin or a node-level component, not in application pods.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: vpn
    /// spec:
    ///   containers:
    ///   - name: tunnel
    ///     image: registry.example.com/tunnel:5.2.0
    ///     securityContext:
    ///       capabilities:
    ///         drop: ["ALL"]
    ///         add: ["NET_BIND_SERVICE"]
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline profile: "Capabilities"
    ///   (Pod Security Admission check `capabilities_baseline`)
    /// - CIS Kubernetes Benchmark 5.2.8 (NET_RAW), 5.2.9
    pub static RULE = Rule {
        id: "PSS006",
        name: "capabilities-beyond-baseline",
        severity: Severity::High,
        summary: "Container adds a capability outside the Baseline set",
        frameworks: BASELINE,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(context: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    if context.pss_restricted && pod.is_windows() {
        return;
    }
    for container in pod.containers() {
        let Some(capabilities) = container
            .security_context()
            .and_then(|s| s.get("capabilities"))
        else {
            continue;
        };
        let added = capabilities.get("add").map_or(&[][..], Node::items);
        for (index, capability) in added.iter().enumerate() {
            let allowed = capability
                .as_str()
                .is_some_and(|name| BASELINE_CAPABILITIES.contains(&name));
            if !allowed {
                out.report(
                    capability.span,
                    container.field_path(&format!("securityContext.capabilities.add[{index}]")),
                    format!(
                        "{} adds capability {}, outside the Baseline set",
                        container.label(),
                        capability.display_scalar()
                    ),
                );
            }
        }
    }
}
