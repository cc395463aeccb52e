//! Network exposure: Ingresses without TLS, pods no NetworkPolicy isolates,
//! public load balancers, an exposed Kubernetes dashboard.

mod dashboard_exposed;
mod ingress_tls;
mod network_policy_missing;
mod public_load_balancer;

use super::Rule;
use crate::model::{Repo, Resource, Selector};
use crate::source::yaml::Node;

/// The network rules, in ID order.
pub static RULES: &[&Rule] = &[
    &ingress_tls::RULE,
    &network_policy_missing::RULE,
    &public_load_balancer::RULE,
    &dashboard_exposed::RULE,
];

/// Whether a resource is an Ingress (`networking.k8s.io`, or the legacy
/// `extensions` group).
pub(crate) fn is_ingress(resource: &Resource) -> bool {
    resource.kind == "Ingress" && matches!(resource.group(), "networking.k8s.io" | "extensions")
}

/// A core Service.
pub(crate) fn is_service(resource: &Resource) -> bool {
    resource.kind == "Service" && resource.group().is_empty()
}

/// The `type` of a Service (`ClusterIP` when absent).
pub(crate) fn service_type(service: &Resource) -> &str {
    service
        .body
        .get_path(&["spec", "type"])
        .and_then(Node::as_str)
        .unwrap_or("ClusterIP")
}

/// The Service names an Ingress routes to, with the node naming each
/// (`backend.service.name`, or the legacy `backend.serviceName`).
pub(crate) fn ingress_backends(ingress: &Resource) -> Vec<(&str, &Node)> {
    fn service_name(backend: &Node) -> Option<(&str, &Node)> {
        let entry = backend
            .get("service")
            .and_then(|s| s.entry("name"))
            .or_else(|| backend.entry("serviceName"))?;
        Some((entry.value.as_str()?, &entry.value))
    }
    let Some(spec) = ingress.body.get("spec") else {
        return Vec::new();
    };
    let default = spec.get("defaultBackend").or_else(|| spec.get("backend"));
    let paths = spec
        .get("rules")
        .map_or(&[][..], Node::items)
        .iter()
        .flat_map(|rule| {
            rule.get_path(&["http", "paths"])
                .map_or(&[][..], Node::items)
        })
        .filter_map(|path| path.get("backend"));
    default
        .into_iter()
        .chain(paths)
        .filter_map(service_name)
        .collect()
}

/// The Services of the pod's namespace that select its labels.
pub(crate) fn services_selecting<'a>(
    repo: &Repo<'a>,
    namespace: Option<&str>,
    labels: &crate::model::Labels<'_>,
) -> Vec<&'a Resource> {
    repo.in_namespace("", "Service", namespace)
        .filter(|s| {
            Selector::service_selector(s.body.get_path(&["spec", "selector"])).matches(labels)
        })
        .collect()
}
