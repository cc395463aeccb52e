use crate::model::host_path::{SENSITIVE_HOST_PATHS, is_sensitive};
use crate::model::rbac::{bindings_of_service_account, builtin_cluster_role, policy_rules};
use crate::model::{PodTemplate, Resource, pod_template};
use crate::rules::network::{ingress_backends, service_type, services_selecting};
use crate::rules::{Context, Findings, ParamDefault, Parameter, Related, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// Workloads that are both reachable from outside the cluster and dangerous if
    /// compromised, found by following references across the whole scan:
    ///
    /// - **reachable**: a Service of type `LoadBalancer` or `NodePort` selects the
    ///   workload's pods, or an Ingress routes to a Service that selects them;
    /// - **dangerous**: a container runs privileged, the pod shares the host's
    ///   network, PID or IPC namespace, mounts a sensitive host path (parameter
    ///   `sensitive_paths`), or runs as a service account that a RoleBinding or
    ///   ClusterRoleBinding of the repository binds to `cluster-admin` or to a role
    ///   that can read Secrets.
    ///
    /// It reports one finding on the workload; every link of the chain (the
    /// Ingress, the Service, the privileged field, the binding, the role rule) is a
    /// related location, in SARIF and in the text output.
    ///
    /// ## Why it matters
    /// Each fact alone is a finding of its own rule; together they are an attack
    /// path. A vulnerability in an exposed web application becomes, in one step, a
    /// root shell on the node or the cluster's credentials. These are the workloads
    /// to fix first.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   tls:
    ///   - hosts: [shop.example.com]
    ///     secretName: shop-tls
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - path: /
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: web
    ///             port: {number: 80}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector: {app: web}
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///       - name: app
    ///         image: registry.example.com/shop/web:5.1.0
    ///         securityContext:
    ///           privileged: true
    /// ```
    ///
    /// ## Fix
    /// Break the chain where it is cheapest: here, drop `privileged` (an exposed
    /// workload should also run under the Restricted Pod Security profile).
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: web}
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///       - name: app
    ///         image: registry.example.com/shop/web:5.1.0
    ///         securityContext:
    ///           allowPrivilegeEscalation: false
    /// ```
    ///
    /// ## References
    /// - Microsoft Threat Matrix for Kubernetes: "Exposed sensitive interfaces",
    ///   "Privileged container", "Writable hostPath mount", "Cluster-admin binding"
    /// - CIS Kubernetes Benchmark 5.1.1, 5.1.2, 5.2.2–5.2.5, 5.2.11
    pub static RULE = Rule {
        id: "PATH001",
        name: "exposed-dangerous-workload",
        severity: Severity::Critical,
        summary: "Workload reachable from outside the cluster that is privileged, on the host, or bound to powerful roles",
        frameworks: &[],
        parameters: &[Parameter {
            name: "sensitive_paths",
            description: "host paths (and everything below them) that count as sensitive when mounted",
            default: ParamDefault::List(SENSITIVE_HOST_PATHS),
        }],
        check: crate::rules::Check::Kubernetes(check),
    };
}

/// A link of the chain: where it is, what it says, and a short name for the
/// finding's message.
struct Link {
    related: Related,
    short: String,
}

fn qualified(resource: &Resource) -> String {
    let name = resource.name.as_deref().unwrap_or("(unnamed)");
    match &resource.namespace {
        Some(ns) => format!("{ns}/{name}"),
        None => name.to_string(),
    }
}

/// How the workload can be reached from outside the cluster.
fn exposure(context: &Context, resource: &Resource, pod: &PodTemplate) -> Vec<Link> {
    let namespace = resource.namespace.as_deref();
    let mut links = Vec::new();
    for service in services_selecting(context.repo, namespace, &pod.labels()) {
        let service_name = service.name.as_deref().unwrap_or_default();
        let kind = service_type(service);
        if matches!(kind, "LoadBalancer" | "NodePort") {
            let span = service
                .body
                .get("spec")
                .and_then(|s| s.entry("type"))
                .map_or(service.anchor_span(), |e| e.span());
            links.push(Link {
                related: Related {
                    span,
                    message: format!(
                        "Service {} exposes the pods outside the cluster ({kind})",
                        qualified(service)
                    ),
                },
                short: format!("{kind} Service {}", qualified(service)),
            });
        }
        let ingresses = ["networking.k8s.io", "extensions"]
            .into_iter()
            .flat_map(|group| context.repo.in_namespace(group, "Ingress", namespace));
        for ingress in ingresses {
            for (backend, node) in ingress_backends(ingress) {
                if backend != service_name {
                    continue;
                }
                links.push(Link {
                    related: Related {
                        span: node.span,
                        message: format!(
                            "Ingress {} routes to Service {}",
                            qualified(ingress),
                            qualified(service)
                        ),
                    },
                    short: format!("Ingress {}", qualified(ingress)),
                });
                let selector = service.body.get("spec").and_then(|s| s.entry("selector"));
                links.push(Link {
                    related: Related {
                        span: selector.map_or(service.anchor_span(), |e| e.key.span),
                        message: format!(
                            "Service {} selects the workload's pods",
                            qualified(service)
                        ),
                    },
                    short: String::new(),
                });
            }
        }
    }
    links
}

/// What makes the workload dangerous once compromised.
fn dangers(context: &Context, resource: &Resource, pod: &PodTemplate) -> Vec<Link> {
    let mut links = Vec::new();
    for container in pod.containers() {
        if let Some(entry) = container.security_context_entry("privileged")
            && entry.value.as_bool() == Some(true)
        {
            links.push(Link {
                related: Related {
                    span: entry.span(),
                    message: format!("{} runs privileged", container.label()),
                },
                short: format!("privileged {}", container.label()),
            });
        }
    }
    for (field, what) in [
        ("hostNetwork", "network"),
        ("hostPID", "PID"),
        ("hostIPC", "IPC"),
    ] {
        if let Some(entry) = pod.spec().entry(field)
            && entry.value.as_bool() == Some(true)
        {
            links.push(Link {
                related: Related {
                    span: entry.span(),
                    message: format!("the pod shares the host's {what} namespace"),
                },
                short: format!("host {what} namespace"),
            });
        }
    }
    let sensitive = context.list("sensitive_paths");
    for volume in pod.spec().get("volumes").map_or(&[][..], Node::items) {
        let Some(path) = volume.get("hostPath").and_then(|h| h.entry("path")) else {
            continue;
        };
        if let Some(text) = path.value.as_str()
            && is_sensitive(text, sensitive)
        {
            links.push(Link {
                related: Related {
                    span: path.span(),
                    message: format!("the pod mounts the host path {text}"),
                },
                short: format!("host path {text}"),
            });
        }
    }
    let namespace = resource.namespace.as_deref();
    let account = pod.service_account();
    for binding in bindings_of_service_account(context.repo, namespace, account) {
        let role_span = binding
            .role_ref
            .entry("name")
            .map_or(binding.resource.anchor_span(), |e| e.span());
        let bound = format!(
            "{} {} binds service account {account:?} to {} {}",
            binding.resource.kind,
            qualified(binding.resource),
            binding.role_kind,
            binding.role_name
        );
        let builtin = (binding.role_kind == "ClusterRole")
            .then(|| builtin_cluster_role(binding.role_name))
            .flatten();
        let role = binding.role(context.repo);
        let (everything, secrets_rule) = match (role, builtin) {
            (Some(role), _) => {
                let rule = policy_rules(role).into_iter().find(|r| {
                    ["get", "list", "watch"]
                        .iter()
                        .any(|verb| r.allows(verb, "", "secrets"))
                });
                (false, rule.map(|r| (r.node.span, qualified(role))))
            }
            (None, Some((everything, secrets))) => (
                everything,
                secrets.then_some((role_span, binding.role_name.to_string())),
            ),
            (None, None) => (false, None),
        };
        if everything {
            links.push(Link {
                related: Related {
                    span: role_span,
                    message: bound,
                },
                short: "a service account bound to cluster-admin".to_string(),
            });
        } else if let Some((span, role_name)) = secrets_rule {
            links.push(Link {
                related: Related {
                    span: role_span,
                    message: bound,
                },
                short: "a service account that can read Secrets".to_string(),
            });
            if span != role_span {
                links.push(Link {
                    related: Related {
                        span,
                        message: format!("role {role_name} allows reading Secrets"),
                    },
                    short: String::new(),
                });
            }
        }
    }
    links
}

fn check(context: &Context, resource: &Resource, out: &mut Findings) {
    let Some(pod) = pod_template(resource) else {
        return;
    };
    let exposure = exposure(context, resource, &pod);
    if exposure.is_empty() {
        return;
    }
    let dangers = dangers(context, resource, &pod);
    if dangers.is_empty() {
        return;
    }
    let summary = |links: &[Link]| {
        let mut shorts: Vec<&str> = Vec::new();
        for short in links.iter().map(|l| l.short.as_str()) {
            if !short.is_empty() && !shorts.contains(&short) {
                shorts.push(short);
            }
        }
        shorts.join(", ")
    };
    let message = format!(
        "{} is reachable from outside the cluster ({}) and has {}",
        resource.display_name(),
        summary(&exposure),
        summary(&dangers)
    );
    let mut related: Vec<Related> = Vec::new();
    for link in exposure.into_iter().chain(dangers) {
        if !related.contains(&link.related) {
            related.push(link.related);
        }
    }
    out.report_related(
        resource.anchor_span(),
        "metadata.name".to_string(),
        message,
        related,
    );
}
