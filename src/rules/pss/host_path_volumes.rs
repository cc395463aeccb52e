use super::BASELINE;
use crate::model::{Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// Volumes of a pod spec that use `hostPath`.
    ///
    /// ## Why it matters
    /// A hostPath volume mounts a file or directory of the node into the container.
    /// Depending on the path, that gives access to the container runtime's socket,
    /// the kubelet's credentials, other pods' data or the node's configuration,
    /// and a writable mount lets the container plant files the node will run.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: log-shipper
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: shipper
    ///         image: registry.example.com/shipper:3.1.0
    ///         volumeMounts:
    ///         - name: logs
    ///           mountPath: /var/log
    ///       volumes:
    ///       - name: logs
    ///         hostPath:
    ///           path: /var/log
    /// ```
    ///
    /// ## Fix
    /// Use a volume type that does not reach into the node: `emptyDir` for scratch
    /// space, a PersistentVolumeClaim for data, `configMap`/`secret`/`projected` for
    /// configuration. Ship logs through the cluster's logging pipeline instead of
    /// reading node directories.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: log-shipper
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: shipper
    ///         image: registry.example.com/shipper:3.1.0
    ///         volumeMounts:
    ///         - name: buffer
    ///           mountPath: /buffer
    ///       volumes:
    ///       - name: buffer
    ///         emptyDir: {}
    /// ```
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline profile: "HostPath Volumes"
    ///   (Pod Security Admission check `hostPathVolumes`)
    /// - CIS Kubernetes Benchmark 5.2.11
    pub static RULE = Rule {
        id: "PSS004",
        name: "host-path-volume",
        severity: Severity::High,
        summary: "Pod mounts a hostPath volume",
        frameworks: BASELINE,
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    let volumes = pod.spec().get("volumes").map_or(&[][..], Node::items);
    for (index, volume) in volumes.iter().enumerate() {
        let Some(entry) = volume.entry("hostPath") else {
            continue;
        };
        if entry.value.is_null() {
            continue;
        }
        let name = volume.get("name").and_then(Node::as_str);
        let path = entry
            .value
            .get("path")
            .and_then(Node::as_str)
            .unwrap_or("?");
        let selector = name.map_or(index.to_string(), |n| format!("name={n}"));
        out.report(
            entry.span(),
            pod.field_path(&format!("volumes[{selector}].hostPath")),
            format!(
                "volume {} mounts host path {path:?}",
                name.map_or_else(|| format!("#{}", index + 1), |n| format!("{n:?}"))
            ),
        );
    }
}
