use super::{ingress_backends, is_ingress, is_service, service_type};
use crate::model::{Repo, Resource, Selector, pod_template};
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// The Kubernetes dashboard made reachable, or made usable without logging in:
    /// - a dashboard container started with `--enable-skip-login` or
    ///   `--enable-insecure-login`;
    /// - a Service of type `LoadBalancer` or `NodePort` for the dashboard;
    /// - an Ingress routing to the dashboard's Service.
    ///
    /// Dashboard pods are recognised by their image (`kubernetesui/dashboard…`),
    /// dashboard Services by their name (`kubernetes-dashboard…`) or by selecting
    /// dashboard pods of the scanned repository.
    ///
    /// ## Why it matters
    /// The dashboard is a control panel for the cluster. Exposed to the network,
    /// with a skip-login button or a powerful service account behind it, it hands
    /// the cluster to whoever finds it: it is how the first large cryptomining
    /// compromises of Kubernetes clusters happened.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: kubernetes-dashboard
    ///   namespace: kubernetes-dashboard
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {k8s-app: kubernetes-dashboard}
    ///   ports:
    ///   - port: 443
    ///     targetPort: 8443
    /// ```
    ///
    /// ## Fix
    /// Keep the dashboard's Service internal (`ClusterIP`) and reach it with
    /// `kubectl port-forward` or through an authenticating proxy; never enable
    /// skip-login.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: kubernetes-dashboard
    ///   namespace: kubernetes-dashboard
    /// spec:
    ///   selector: {k8s-app: kubernetes-dashboard}
    ///   ports:
    ///   - port: 443
    ///     targetPort: 8443
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Deploy and Access the Kubernetes Dashboard"
    /// - Microsoft Threat Matrix for Kubernetes: "Exposed sensitive interfaces"
    pub static RULE = Rule {
        id: "NET004",
        name: "dashboard-exposed",
        severity: Severity::Critical,
        summary: "Kubernetes dashboard exposed or usable without login",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

/// Kinds that run pods, by API group.
const WORKLOAD_KINDS: &[(&str, &str)] = &[
    ("", "Pod"),
    ("apps", "Deployment"),
    ("apps", "StatefulSet"),
    ("apps", "DaemonSet"),
    ("apps", "ReplicaSet"),
    ("", "ReplicationController"),
];

fn is_dashboard_image(image: &str) -> bool {
    image.contains("kubernetesui/dashboard")
}

/// Whether a pod template runs the dashboard.
fn runs_dashboard(resource: &Resource) -> bool {
    pod_template(resource).is_some_and(|pod| {
        pod.containers().any(|c| {
            c.node
                .get("image")
                .and_then(Node::as_str)
                .is_some_and(is_dashboard_image)
        })
    })
}

/// Whether a Service fronts the dashboard: by name, or by selecting its pods.
fn is_dashboard_service(repo: &Repo<'_>, service: &Resource) -> bool {
    if service
        .name
        .as_deref()
        .is_some_and(|n| n.starts_with("kubernetes-dashboard"))
    {
        return true;
    }
    let selector = Selector::service_selector(service.body.get_path(&["spec", "selector"]));
    let namespace = service.namespace.as_deref();
    WORKLOAD_KINDS
        .iter()
        .flat_map(|(group, kind)| repo.in_namespace(group, kind, namespace))
        .any(|workload| {
            runs_dashboard(workload)
                && pod_template(workload).is_some_and(|pod| selector.matches(&pod.labels()))
        })
}

const UNSAFE_FLAGS: [&str; 2] = ["--enable-skip-login", "--enable-insecure-login"];

fn check(context: &Context, resource: &Resource, out: &mut Findings) {
    if let Some(pod) = pod_template(resource) {
        for container in pod.containers() {
            let image = container
                .node
                .get("image")
                .and_then(Node::as_str)
                .unwrap_or("");
            if !is_dashboard_image(image) {
                continue;
            }
            for field in ["args", "command"] {
                for (index, arg) in container
                    .node
                    .get(field)
                    .map_or(&[][..], Node::items)
                    .iter()
                    .enumerate()
                {
                    let Some(text) = arg.as_str() else { continue };
                    let (flag, value) = text.split_once('=').unwrap_or((text, "true"));
                    if UNSAFE_FLAGS.contains(&flag) && value.eq_ignore_ascii_case("true") {
                        out.report(
                            arg.span,
                            container.field_path(&format!("{field}[{index}]")),
                            format!("the dashboard in {} runs with {flag}", container.label()),
                        );
                    }
                }
            }
        }
    }
    if is_service(resource)
        && matches!(service_type(resource), "LoadBalancer" | "NodePort")
        && is_dashboard_service(context.repo, resource)
        && let Some(kind) = resource.body.get("spec").and_then(|s| s.entry("type"))
    {
        out.report(
            kind.span(),
            "spec.type".to_string(),
            format!(
                "the dashboard's Service is exposed outside the cluster ({})",
                service_type(resource)
            ),
        );
    }
    if is_ingress(resource) {
        for (name, node) in ingress_backends(resource) {
            let service = context
                .repo
                .find("", "Service", resource.namespace.as_deref(), name);
            let dashboard = match service {
                Some(service) => is_dashboard_service(context.repo, service),
                None => name.starts_with("kubernetes-dashboard"),
            };
            if dashboard {
                out.report(
                    node.span,
                    "spec.rules.http.paths.backend.service.name".to_string(),
                    format!("the Ingress routes to the dashboard's Service {name:?}"),
                );
            }
        }
    }
}
