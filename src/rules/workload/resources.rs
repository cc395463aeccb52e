use super::is_set;
use crate::model::{ContainerKind, Resource, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// Containers and init containers that lack a CPU request, a memory request
    /// or a memory limit, once Kubernetes has filled in what it fills in:
    /// - a request left out takes the value of the limit (a container with
    ///   `limits.memory` has a memory request too);
    /// - a LimitRange of the namespace (found in the scan) with `type: Container`
    ///   supplies `defaultRequest` and `default` values;
    /// - pod-level `spec.resources` bounds every container of the pod.
    ///
    /// Ephemeral containers cannot set resources and are not checked. One
    /// finding per container names everything it lacks.
    ///
    /// ## Why it matters
    /// The scheduler places pods by their requests: without them a node is
    /// overcommitted and its pods are the first evicted under pressure. Without a
    /// memory limit one leaking or attacked container can take the node's memory
    /// and bring its neighbours down with it, a denial of service across tenants.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: cache
    /// spec:
    ///   serviceName: cache
    ///   selector:
    ///     matchLabels:
    ///       app: cache
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: cache
    ///     spec:
    ///       containers:
    ///       - name: redis
    ///         image: registry.example.com/redis:7.2.5
    ///         resources:
    ///           requests:
    ///             cpu: 250m
    /// ```
    ///
    /// ## Fix
    /// Request what the container needs to run and cap its memory. A CPU limit
    /// is optional: CPU is throttled, not exhausted.
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: cache
    /// spec:
    ///   serviceName: cache
    ///   selector:
    ///     matchLabels:
    ///       app: cache
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: cache
    ///     spec:
    ///       containers:
    ///       - name: redis
    ///         image: registry.example.com/redis:7.2.5
    ///         resources:
    ///           requests:
    ///             cpu: 250m
    ///             memory: 512Mi
    ///           limits:
    ///             memory: 512Mi
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Resource Management for Pods and Containers"
    /// - Kubernetes documentation, "Limit Ranges" (default requests and limits)
    pub static RULE = Rule {
        id: "K8S004",
        name: "container-resources-missing",
        severity: Severity::Medium,
        summary: "Container lacks CPU and memory requests or a memory limit",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

/// Which of the checked settings a container ends up with.
#[derive(Copy, Clone, Debug, Default)]
struct Provided {
    cpu_request: bool,
    memory_request: bool,
    memory_limit: bool,
}

impl Provided {
    /// What a `resources` block (of a container or a pod) provides; a request
    /// defaults to the limit.
    fn of(resources: Option<&Node>) -> Self {
        let value = |section: &str, resource: &str| {
            is_set(resources.and_then(|r| r.get_path(&[section, resource])))
        };
        Provided {
            cpu_request: value("requests", "cpu") || value("limits", "cpu"),
            memory_request: value("requests", "memory") || value("limits", "memory"),
            memory_limit: value("limits", "memory"),
        }
    }

    /// What the `type: Container` items of LimitRanges provide; a default
    /// request falls back to the default limit.
    fn of_limit_ranges<'a>(limit_ranges: impl Iterator<Item = &'a Resource>) -> Self {
        let mut provided = Provided::default();
        for item in limit_ranges
            .filter_map(|lr| lr.body.get_path(&["spec", "limits"]))
            .flat_map(Node::items)
            .filter(|item| item.get("type").and_then(Node::as_str) == Some("Container"))
        {
            let value = |section: &str, resource: &str| is_set(item.get_path(&[section, resource]));
            provided = provided.or(Provided {
                cpu_request: value("defaultRequest", "cpu") || value("default", "cpu"),
                memory_request: value("defaultRequest", "memory") || value("default", "memory"),
                memory_limit: value("default", "memory"),
            });
        }
        provided
    }

    fn or(self, other: Provided) -> Provided {
        Provided {
            cpu_request: self.cpu_request || other.cpu_request,
            memory_request: self.memory_request || other.memory_request,
            memory_limit: self.memory_limit || other.memory_limit,
        }
    }

    fn missing(self) -> Vec<&'static str> {
        [
            (self.cpu_request, "CPU request"),
            (self.memory_request, "memory request"),
            (self.memory_limit, "memory limit"),
        ]
        .into_iter()
        .filter(|(present, _)| !present)
        .map(|(_, what)| what)
        .collect()
    }
}

fn check(ctx: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    let shared = Provided::of(pod.spec().get("resources")).or(Provided::of_limit_ranges(
        ctx.repo
            .in_namespace("", "LimitRange", resource.namespace.as_deref()),
    ));
    for container in pod
        .containers()
        .filter(|c| c.kind != ContainerKind::Ephemeral)
    {
        let entry = container.node.entry("resources");
        let missing = Provided::of(entry.map(|e| &e.value)).or(shared).missing();
        let Some((last, rest)) = missing.split_last() else {
            continue;
        };
        let list = if rest.is_empty() {
            last.to_string()
        } else {
            format!("{} or {last}", rest.join(", "))
        };
        out.report(
            entry.map_or_else(|| container.anchor_span(), |e| e.span()),
            container.field_path("resources"),
            format!("{} has no {list}", container.label()),
        );
    }
}
