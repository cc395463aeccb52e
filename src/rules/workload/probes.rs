use super::is_set;
use crate::model::{Container, ContainerKind, Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// Containers of long-running workloads (Deployment, StatefulSet, DaemonSet,
    /// ReplicaSet, ReplicationController, and Pods that restart always) without
    /// a `readinessProbe` or without a `livenessProbe`. Sidecars, the init
    /// containers with `restartPolicy: Always`, are checked too. Jobs, CronJobs
    /// and Pods with `restartPolicy: Never` or `OnFailure` run to completion and
    /// are not checked. One finding per container names the probes it lacks.
    ///
    /// ## Why it matters
    /// Without a readiness probe, a Service sends traffic to a pod as soon as its
    /// process starts, and keeps sending it to a pod that can no longer serve.
    /// Without a liveness probe, a deadlocked process stays in place forever
    /// instead of being restarted. Both turn a partial failure into an outage
    /// that nobody's alerting sees as a crashed pod.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: api
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: api
    ///     spec:
    ///       containers:
    ///       - name: api
    ///         image: registry.example.com/api:3.2.1
    ///         readinessProbe:
    ///           httpGet:
    ///             path: /ready
    ///             port: 8080
    /// ```
    ///
    /// ## Fix
    /// Add both probes. Readiness answers "can I take traffic now?", liveness
    /// answers "am I stuck beyond repair?": they usually check different things,
    /// and a liveness probe should not depend on other services.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: api
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: api
    ///     spec:
    ///       containers:
    ///       - name: api
    ///         image: registry.example.com/api:3.2.1
    ///         readinessProbe:
    ///           httpGet:
    ///             path: /ready
    ///             port: 8080
    ///         livenessProbe:
    ///           httpGet:
    ///             path: /healthz
    ///             port: 8080
    ///           periodSeconds: 20
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Configure Liveness, Readiness and Startup Probes"
    /// - Kubernetes documentation, "Sidecar Containers" (init containers with
    ///   `restartPolicy: Always`)
    pub static RULE = Rule {
        id: "K8S005",
        name: "container-probes-missing",
        severity: Severity::Low,
        summary: "Long-running container lacks a readiness or liveness probe",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

/// Whether a resource runs pods that are meant to keep running.
fn is_long_running(resource: &Resource) -> bool {
    match (resource.group(), resource.kind.as_str()) {
        ("", "Pod") => !matches!(
            resource
                .body
                .get_path(&["spec", "restartPolicy"])
                .and_then(Node::as_str),
            Some("Never" | "OnFailure")
        ),
        ("", "ReplicationController")
        | ("apps" | "extensions", "Deployment" | "DaemonSet" | "ReplicaSet")
        | ("apps", "StatefulSet") => true,
        _ => false,
    }
}

/// Regular containers and sidecars (init containers that keep running).
fn keeps_running(container: &Container) -> bool {
    match container.kind {
        ContainerKind::Regular => true,
        ContainerKind::Init => {
            container.node.get("restartPolicy").and_then(Node::as_str) == Some("Always")
        }
        ContainerKind::Ephemeral => false,
    }
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    if !is_long_running(resource) {
        return;
    }
    let Some(pod) = pod_template(resource) else {
        return;
    };
    for container in pod.containers().filter(keeps_running) {
        let missing: Vec<&str> = ["readinessProbe", "livenessProbe"]
            .into_iter()
            .filter(|probe| !is_set(container.node.get(probe)))
            .collect();
        if missing.is_empty() {
            continue;
        }
        out.report(
            container.anchor_span(),
            container.path(),
            format!("{} has no {}", container.label(), missing.join(" and no ")),
        );
    }
}
