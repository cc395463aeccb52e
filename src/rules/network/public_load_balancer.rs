use super::{is_service, service_type};
use crate::model::Resource;
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// Services of `type: LoadBalancer` that get a public address: no annotation
    /// asks the cloud provider for an internal load balancer, and no
    /// `spec.loadBalancerSourceRanges` (other than `0.0.0.0/0` or `::/0`) limits
    /// who may connect. Recognised internal or restricting annotations:
    /// `service.beta.kubernetes.io/azure-load-balancer-internal: "true"`,
    /// `service.beta.kubernetes.io/azure-allowed-ip-ranges`,
    /// `service.beta.kubernetes.io/azure-allowed-service-tags`,
    /// `service.beta.kubernetes.io/aws-load-balancer-internal`,
    /// `service.beta.kubernetes.io/aws-load-balancer-scheme: internal`,
    /// `networking.gke.io/load-balancer-type: Internal`,
    /// `cloud.google.com/load-balancer-type: Internal` and
    /// `service.beta.kubernetes.io/oci-load-balancer-internal: "true"`.
    ///
    /// ## Why it matters
    /// A public load balancer puts the Service on the internet, bypassing the
    /// Ingress controller, its TLS termination and its web application firewall.
    /// Internal services exposed this way (databases, admin consoles, metrics) are
    /// found by scanners within minutes.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: postgres
    ///   namespace: data
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: postgres}
    ///   ports:
    ///   - port: 5432
    /// ```
    ///
    /// ## Fix
    /// Make the load balancer internal (on AKS, with the annotation below), or
    /// restrict the source ranges, or expose HTTP services through the Ingress.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: postgres
    ///   namespace: data
    ///   annotations:
    ///     service.beta.kubernetes.io/azure-load-balancer-internal: "true"
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: postgres}
    ///   ports:
    ///   - port: 5432
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Service": type LoadBalancer, internal load
    ///   balancers
    /// - Azure Kubernetes Service documentation, "Use an internal load balancer"
    pub static RULE = Rule {
        id: "NET003",
        name: "public-load-balancer",
        severity: Severity::High,
        summary: "Service of type LoadBalancer is reachable from anywhere",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

/// Annotations that make a load balancer internal when set to the given value
/// (case-insensitive), or restrict it whatever their value (`None`).
const INTERNAL_ANNOTATIONS: &[(&str, Option<&str>)] = &[
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        Some("true"),
    ),
    ("service.beta.kubernetes.io/azure-allowed-ip-ranges", None),
    (
        "service.beta.kubernetes.io/azure-allowed-service-tags",
        None,
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        None,
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        Some("internal"),
    ),
    ("networking.gke.io/load-balancer-type", Some("internal")),
    ("cloud.google.com/load-balancer-type", Some("internal")),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        Some("true"),
    ),
];

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    if !is_service(resource) || service_type(resource) != "LoadBalancer" {
        return;
    }
    let annotations = resource
        .metadata()
        .and_then(|m| m.get("annotations"))
        .and_then(Node::as_map)
        .unwrap_or(&[]);
    let internal = annotations.iter().any(|entry| {
        INTERNAL_ANNOTATIONS.iter().any(|(key, value)| {
            entry.key.text == *key
                && match value {
                    None => {
                        !entry.value.is_null()
                            && entry.value.as_str() != Some("")
                            && entry.value.as_str() != Some("false")
                    }
                    Some(expected) => match &entry.value.value {
                        crate::source::yaml::Value::Bool(b) => *expected == "true" && *b,
                        _ => entry
                            .value
                            .as_str()
                            .is_some_and(|v| v.eq_ignore_ascii_case(expected)),
                    },
                }
        })
    });
    if internal {
        return;
    }
    let ranges: Vec<&str> = resource
        .body
        .get_path(&["spec", "loadBalancerSourceRanges"])
        .map_or(&[][..], Node::items)
        .iter()
        .filter_map(Node::as_str)
        .collect();
    let open = |range: &&str| matches!(range.trim(), "0.0.0.0/0" | "::/0");
    if !ranges.is_empty() && !ranges.iter().any(open) {
        return;
    }
    let Some(kind) = resource.body.get("spec").and_then(|s| s.entry("type")) else {
        return;
    };
    let reason = if ranges.is_empty() {
        "no internal load balancer annotation and no loadBalancerSourceRanges"
    } else {
        "its loadBalancerSourceRanges allow every address"
    };
    out.report(
        kind.span(),
        "spec.type".to_string(),
        format!("Service gets a public load balancer: {reason}"),
    );
}
