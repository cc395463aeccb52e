use super::is_ingress;
use crate::model::Resource;
use crate::rules::{Context, Findings, Severity, declare_rule};
use crate::source::yaml::Node;

declare_rule! {
    /// ## What it checks
    /// Ingresses that serve a host without TLS: each `spec.rules[].host` must be
    /// covered by a `spec.tls[].hosts` entry (exactly, or by a wildcard such as
    /// `*.example.com` for one more label). Rules without a host, and an Ingress
    /// that only has a default backend, need at least one `tls` entry.
    ///
    /// ## Why it matters
    /// Without TLS, the Ingress accepts plain HTTP: credentials, session cookies
    /// and personal data cross the network readable and modifiable by anyone on the
    /// path. Encryption in transit is also what most regulations expect for
    /// personal and health data.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - path: /
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: storefront
    ///             port:
    ///               name: http
    /// ```
    ///
    /// ## Fix
    /// Add a `tls` entry with a certificate Secret for every host (cert-manager can
    /// issue and renew it).
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: nginx
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
    ///             name: storefront
    ///             port:
    ///               name: http
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Ingress": TLS
    /// - CIS AKS Benchmark 5.4.5 (TLS on HTTPS load balancers)
    pub static RULE = Rule {
        id: "NET001",
        name: "ingress-without-tls",
        severity: Severity::High,
        summary: "Ingress serves a host without TLS",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Kubernetes(check),
    };
}

/// Whether a TLS host pattern covers a host (`*.example.com` covers
/// `shop.example.com`, not `example.com` nor `a.b.example.com`).
fn covers(pattern: &str, host: &str) -> bool {
    if pattern.eq_ignore_ascii_case(host) {
        return true;
    }
    match (pattern.strip_prefix("*."), host.split_once('.')) {
        (Some(domain), Some((label, rest))) => {
            !label.is_empty() && rest.eq_ignore_ascii_case(domain)
        }
        _ => false,
    }
}

fn check(_: &Context, resource: &Resource, out: &mut Findings) {
    if !is_ingress(resource) {
        return;
    }
    let Some(spec) = resource.body.get("spec") else {
        return;
    };
    let tls = spec.get("tls").map_or(&[][..], Node::items);
    let tls_hosts: Vec<&str> = tls
        .iter()
        .flat_map(|entry| entry.get("hosts").map_or(&[][..], Node::items))
        .filter_map(Node::as_str)
        .collect();
    let rules = spec.get("rules").map_or(&[][..], Node::items);
    for (index, rule) in rules.iter().enumerate() {
        match rule.entry("host") {
            Some(host) => {
                let Some(name) = host.value.as_str() else {
                    continue;
                };
                if !tls_hosts.iter().any(|pattern| covers(pattern, name)) {
                    out.report(
                        host.span(),
                        format!("spec.rules[{index}].host"),
                        format!("host {name:?} is served without TLS: no spec.tls entry lists it"),
                    );
                }
            }
            None if tls.is_empty() => out.report(
                rule.span,
                format!("spec.rules[{index}]"),
                "a rule for every host is served without TLS: spec.tls is empty".to_string(),
            ),
            None => {}
        }
    }
    if rules.is_empty() && tls.is_empty() {
        let backend = spec
            .entry("defaultBackend")
            .or_else(|| spec.entry("backend"));
        if let Some(backend) = backend {
            out.report(
                backend.key.span,
                format!("spec.{}", backend.key.text),
                "the default backend is served without TLS: spec.tls is empty".to_string(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn wildcards_cover_one_label() {
        assert!(covers("shop.example.com", "SHOP.example.com"));
        assert!(covers("*.example.com", "shop.example.com"));
        assert!(!covers("*.example.com", "example.com"));
        assert!(!covers("*.example.com", "a.b.example.com"));
    }
}
