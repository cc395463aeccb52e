use super::BASELINE;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// Container ports that set a `hostPort` other than 0, in containers, init
    /// containers and ephemeral containers.
    ///
    /// ## Why it matters
    /// A host port binds the container to a port on the node's own interfaces. It
    /// exposes the workload outside the cluster's Service and NetworkPolicy model,
    /// and limits scheduling to nodes where that port is free.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: proxy
    /// spec:
    ///   containers:
    ///   - name: envoy
    ///     image: registry.example.com/envoy:1.30.1
    ///     ports:
    ///     - containerPort: 8080
    ///       hostPort: 80
    /// ```
    ///
    /// ## Fix
    /// Remove `hostPort` and expose the port through a Service (and an Ingress or
    /// a load balancer where it must be reachable from outside).
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: proxy
    /// spec:
    ///   containers:
    ///   - name: envoy
    ///     image: registry.example.com/envoy:1.30.1
    ///     ports:
    ///     - containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline profile: "Host Ports"
    ///   (Pod Security Admission check `hostPorts`)
    /// - CIS Kubernetes Benchmark 5.2.12
    pub static RULE = Rule {
        id: "PSS005",
        name: "host-port",
        severity: Severity::Medium,
        summary: "Container binds a port of the node (hostPort)",
        frameworks: BASELINE,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    for container in pod.containers() {
        let ports = container.node.get("ports").map_or(&[][..], Node::items);
        for (index, port) in ports.iter().enumerate() {
            let Some(entry) = port.entry("hostPort") else {
                continue;
            };
            // Only integers: the API server refuses anything else in this field.
            if entry.value.as_i64().is_none_or(|port| port == 0) {
                continue;
            }
            out.report(
                entry.span(),
                container.field_path(&format!("ports[{index}].hostPort")),
                format!(
                    "{} binds host port {}",
                    container.label(),
                    entry.value.display_scalar()
                ),
            );
        }
    }
}
