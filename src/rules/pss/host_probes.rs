use super::BASELINE;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Probes and lifecycle handlers that set a `host`: the `httpGet.host` and
    /// `tcpSocket.host` of `livenessProbe`, `readinessProbe` and `startupProbe`, and
    /// of the `postStart` and `preStop` lifecycle handlers, in every container.
    ///
    /// ## Why it matters
    /// The kubelet runs probes and handlers from the node. A `host` makes it connect
    /// to an arbitrary address with the node's network identity: a way to reach
    /// endpoints the pod itself cannot (cloud metadata, node-local services, other
    /// networks) and to probe them from inside the cluster.
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
    ///     livenessProbe:
    ///       httpGet:
    ///         host: 169.254.169.254
    ///         path: /metadata
    ///         port: 80
    /// ```
    ///
    /// ## Fix
    /// Remove `host`: the probe then targets the pod's own IP.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/web:1.4.2
    ///     livenessProbe:
    ///       httpGet:
    ///         path: /healthz
    ///         port: 8080
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline profile: "Host Probes /
    ///   Lifecycle Hooks" (Pod Security Admission check `hostProbesAndHostLifecycle`,
    ///   policy version 1.34 and later)
    pub static RULE = Rule {
        id: "PSS012",
        name: "probe-host",
        severity: Severity::Medium,
        summary: "Probe or lifecycle handler targets an explicit host",
        frameworks: BASELINE,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

const HANDLERS: [&[&str]; 5] = [
    &["livenessProbe"],
    &["readinessProbe"],
    &["startupProbe"],
    &["lifecycle", "postStart"],
    &["lifecycle", "preStop"],
];

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    for container in pod.containers() {
        for handler_path in HANDLERS {
            let Some(handler) = container.node.get_path(handler_path) else {
                continue;
            };
            for action in ["httpGet", "tcpSocket"] {
                let Some(entry) = handler.get(action).and_then(|a| a.entry("host")) else {
                    continue;
                };
                if entry.value.is_null() || entry.value.as_str() == Some("") {
                    continue;
                }
                let path = format!("{}.{action}.host", handler_path.join("."));
                out.report(
                    entry.span(),
                    container.field_path(&path),
                    format!(
                        "{} {} targets host {}",
                        container.label(),
                        handler_path.join("."),
                        entry.value.display_scalar()
                    ),
                );
            }
        }
    }
}
