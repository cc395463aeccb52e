use crate::model::{ContainerKind, Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Containers and init containers whose `securityContext.readOnlyRootFilesystem`
    /// is not `true`: left out, or set to anything else. Windows pods
    /// (`spec.os.name: windows`) are not checked: Windows does not support the
    /// setting.
    ///
    /// ## Why it matters
    /// A writable root filesystem lets an intruder drop tools, change binaries or
    /// configuration and persist until the container is replaced. A read-only one
    /// leaves writable only the volumes mounted on purpose, which makes tampering
    /// harder and keeps the running container identical to its image.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: node-exporter
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: node-exporter
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: node-exporter
    ///     spec:
    ///       containers:
    ///       - name: exporter
    ///         image: registry.example.com/node-exporter:1.8.1
    ///         securityContext:
    ///           readOnlyRootFilesystem: false
    /// ```
    ///
    /// ## Fix
    /// Set the field to `true` and mount an `emptyDir` where the process must
    /// write (`/tmp`, a cache directory).
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: node-exporter
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: node-exporter
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: node-exporter
    ///     spec:
    ///       containers:
    ///       - name: exporter
    ///         image: registry.example.com/node-exporter:1.8.1
    ///         securityContext:
    ///           readOnlyRootFilesystem: true
    ///         volumeMounts:
    ///         - name: tmp
    ///           mountPath: /tmp
    ///       volumes:
    ///       - name: tmp
    ///         emptyDir: {}
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark 5.6.3 (security contexts for pods and containers)
    /// - Kubernetes documentation, "Configure a Security Context for a Pod or
    ///   Container"
    pub static RULE = Rule {
        id: "K8S006",
        name: "root-filesystem-writable",
        severity: Severity::Low,
        summary: "Container root filesystem is writable",
        frameworks: &[],
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
    for container in pod
        .containers()
        .filter(|c| c.kind != ContainerKind::Ephemeral)
    {
        let field = container.field_path("securityContext.readOnlyRootFilesystem");
        match container.security_context_entry("readOnlyRootFilesystem") {
            Some(entry) if entry.value.as_bool() == Some(true) => {}
            Some(entry) => out.report(
                entry.span(),
                field,
                format!(
                    "{} sets readOnlyRootFilesystem to {}",
                    container.label(),
                    entry.value.display_scalar()
                ),
            ),
            None => out.report(
                container.anchor_span(),
                field,
                format!(
                    "{} does not set readOnlyRootFilesystem: its root filesystem is writable",
                    container.label()
                ),
            ),
        }
    }
}
