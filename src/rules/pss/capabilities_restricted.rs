use super::{BASELINE_CAPABILITIES, RESTRICTED};
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// Containers that do not drop every capability, or add back one other than
    /// `NET_BIND_SERVICE`:
    /// - `securityContext.capabilities.drop` must contain `ALL`;
    /// - `securityContext.capabilities.add` may only contain `NET_BIND_SERVICE`.
    ///
    /// Added capabilities outside the Baseline set are reported by PSS006; this rule
    /// reports the Baseline ones the Restricted profile also forbids (`CHOWN`,
    /// `SETUID`, …). Windows pods are exempt.
    ///
    /// ## Why it matters
    /// Container runtimes grant a default set of capabilities (`CHOWN`, `SETUID`,
    /// `DAC_OVERRIDE`, `NET_RAW` on some runtimes, …). Most applications need none of
    /// them, and each is a step an attacker can use after a compromise. Dropping
    /// `ALL` and adding back only what is needed is least privilege.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/web:1.4.2
    ///     securityContext:
    ///       capabilities:
    ///         add: ["CHOWN"]
    /// ```
    ///
    /// ## Fix
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/web:1.4.2
    ///     securityContext:
    ///       capabilities:
    ///         drop: ["ALL"]
    ///         add: ["NET_BIND_SERVICE"]
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted profile: "Capabilities"
    ///   (Pod Security Admission check `capabilities_restricted`)
    /// - CIS Kubernetes Benchmark 5.2.8, 5.2.9
    pub static RULE = Rule {
        id: "PSS018",
        name: "capabilities-not-dropped",
        severity: Severity::Medium,
        summary: "Container does not drop ALL capabilities, or adds one other than NET_BIND_SERVICE",
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
    for container in pod.containers() {
        let capabilities = container
            .security_context()
            .and_then(|s| s.entry("capabilities"))
            .filter(|e| !e.value.is_null());
        let drop = capabilities.and_then(|c| c.value.entry("drop"));
        let drops_all =
            drop.is_some_and(|d| d.value.items().iter().any(|c| c.as_str() == Some("ALL")));
        if !drops_all {
            let span = drop
                .map(|d| d.span())
                .or(capabilities.map(|c| c.key.span))
                .unwrap_or_else(|| container.anchor_span());
            out.report(
                span,
                container.field_path("securityContext.capabilities.drop"),
                format!(
                    "{} does not drop ALL capabilities (securityContext.capabilities.drop)",
                    container.label()
                ),
            );
        }
        let added = capabilities
            .and_then(|c| c.value.get("add"))
            .map_or(&[][..], Node::items);
        for (index, capability) in added.iter().enumerate() {
            let Some(name) = capability.as_str() else {
                continue;
            };
            if name != "NET_BIND_SERVICE" && BASELINE_CAPABILITIES.contains(&name) {
                out.report(
                    capability.span,
                    container.field_path(&format!("securityContext.capabilities.add[{index}]")),
                    format!(
                        "{} adds capability {name:?}; only NET_BIND_SERVICE may be added",
                        container.label()
                    ),
                );
            }
        }
    }
}
