use super::{Setting, cluster, field, related, setting, undetermined};
use crate::model::{TfAttribute, TfBlock, TfResource, TfValue};
use crate::rules::{Context, Findings, Related, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources whose API server is public
    /// (`private_cluster_enabled` is not `true`; the provider default is
    /// `false`) and not restricted to known networks: no authorized IP range, an
    /// empty list, or a list that contains `0.0.0.0/0` (or `::/0`). Ranges are
    /// read from `api_server_access_profile.authorized_ip_ranges` and from the
    /// older top-level `api_server_authorized_ip_ranges` (azurerm 3.x, removed
    /// in 4.0).
    ///
    /// ## Why it matters
    /// A public, unrestricted API server can be reached by anyone on the
    /// internet: stolen kubeconfigs and leaked service account tokens work from
    /// anywhere, and every API server vulnerability is exploitable remotely.
    /// Scanners index exposed Kubernetes API servers continuously. High: the
    /// cluster's front door is open to the internet, guarded only by
    /// credentials.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                = "aks-prod"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-aks-prod"
    ///   dns_prefix          = "aks-prod"
    ///
    ///   default_node_pool {
    ///     name    = "system"
    ///     vm_size = "Standard_D4s_v5"
    ///   }
    ///
    ///   identity {
    ///     type = "SystemAssigned"
    ///   }
    ///
    ///   api_server_access_profile {
    ///     authorized_ip_ranges = ["0.0.0.0/0"]
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Make the cluster private, or allow only the networks that administer it
    /// (the CI runners' and the administrators' egress addresses).
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                = "aks-prod"
    ///   location            = "westeurope"
    ///   resource_group_name = "rg-aks-prod"
    ///   dns_prefix          = "aks-prod"
    ///
    ///   default_node_pool {
    ///     name    = "system"
    ///     vm_size = "Standard_D4s_v5"
    ///   }
    ///
    ///   identity {
    ///     type = "SystemAssigned"
    ///   }
    ///
    ///   api_server_access_profile {
    ///     authorized_ip_ranges = ["203.0.113.0/28", "198.51.100.17/32"]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`: `private_cluster_enabled`,
    ///   `api_server_access_profile.authorized_ip_ranges`
    ///   (`api_server_authorized_ip_ranges` before azurerm 4.0)
    /// - CIS AKS Benchmark v1.8.0, 5.4.1 (restrict access to the control plane
    ///   endpoint) and 5.4.2 (private endpoint)
    /// - Azure Policy built-ins 0e246bcf-5f6f-4f87-bc6f-775d4712c7ea (authorized
    ///   IP ranges) and 040732e8-d947-40b8-95d6-854c95024bf8 (private clusters)
    /// - Azure documentation, "Secure access to the API server using authorized IP
    ///   address ranges in AKS"; "Create a private Azure Kubernetes Service
    ///   cluster"
    pub static RULE = Rule {
        id: "AKS010",
        name: "aks-api-server-unrestricted",
        severity: Severity::High,
        summary: "AKS API server reachable from any address",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

/// Ranges that allow every address.
fn allows_everyone(range: &str) -> bool {
    matches!(range.trim(), "0.0.0.0/0" | "::/0")
}

/// What the authorized IP ranges of a cluster amount to.
enum Ranges<'a> {
    /// Known, non-empty, and none allows every address.
    Restrictive,
    /// No list, or only empty ones; the last written one, if any.
    Missing(Option<&'a TfAttribute>),
    /// A list with a range that allows every address.
    Open(&'a TfAttribute, String),
    /// A list, or an item, known only after apply.
    Unknown(&'a TfAttribute),
}

/// The authorized IP ranges, from the `api_server_access_profile` block and
/// from the older top-level attribute. An open range wins over everything; an
/// unknown list or item leaves the answer unknown unless a known range opens it.
fn authorized_ranges(body: &TfBlock) -> Ranges<'_> {
    let lists = body
        .blocks_of("api_server_access_profile")
        .map(|profile| setting(profile, &["authorized_ip_ranges"]))
        .chain([setting(body, &["api_server_authorized_ip_ranges"])]);
    let (mut restrictive, mut unknown, mut empty) = (false, None, None);
    for list in lists {
        match list {
            Setting::Absent => {}
            Setting::Unknown(attribute) => unknown = unknown.or(Some(attribute)),
            Setting::Known(attribute, value) => {
                let items = value.as_list().unwrap_or(std::slice::from_ref(value));
                for item in items {
                    match item {
                        TfValue::String(range) if allows_everyone(range) => {
                            return Ranges::Open(attribute, range.clone());
                        }
                        TfValue::String(_) => restrictive = true,
                        TfValue::Null => {}
                        _ => unknown = unknown.or(Some(attribute)),
                    }
                }
                if items.is_empty() {
                    empty = Some(attribute);
                }
            }
        }
    }
    match unknown {
        Some(attribute) => Ranges::Unknown(attribute),
        None if restrictive => Ranges::Restrictive,
        None => Ranges::Missing(empty),
    }
}

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    let Some(body) = cluster(resource) else {
        return;
    };
    let ranges = authorized_ranges(body);
    if matches!(ranges, Ranges::Restrictive) {
        return;
    }
    // Open or missing ranges matter only on a public API server.
    let mut explanation: Vec<Related> = Vec::new();
    let public = match setting(body, &["private_cluster_enabled"]) {
        Setting::Unknown(attribute) => return undetermined(out, attribute, ""),
        Setting::Absent => "public (private_cluster_enabled defaults to false)",
        Setting::Known(attribute, value) => match value.as_bool() {
            Some(true) => return,
            Some(false) => {
                explanation.push(Related {
                    span: attribute.span,
                    message:
                        "private_cluster_enabled is false: the API server has a public address"
                            .to_string(),
                });
                explanation.extend(attribute.trace.iter().cloned());
                "public"
            }
            None => {
                return out.undetermined(
                    attribute.span,
                    attribute.name.clone(),
                    format!("private_cluster_enabled is {value}, not a boolean"),
                );
            }
        },
    };
    let (span, field, message, attribute) = match ranges {
        Ranges::Restrictive => return,
        Ranges::Unknown(attribute) => {
            return undetermined(out, attribute, profile_path(body, attribute));
        }
        Ranges::Open(attribute, range) => (
            attribute.span,
            field(profile_path(body, attribute), &attribute.name),
            format!("API server is {public} and its authorized IP ranges include {range:?}"),
            Some(attribute),
        ),
        Ranges::Missing(Some(attribute)) => (
            attribute.span,
            field(profile_path(body, attribute), &attribute.name),
            format!(
                "API server is {public} and {} is empty: any address can reach it",
                attribute.name
            ),
            Some(attribute),
        ),
        // Point at the block that should hold the ranges.
        Ranges::Missing(None) => {
            let (span, field) = match body.block("api_server_access_profile") {
                Some(profile) => (
                    profile.span,
                    "api_server_access_profile.authorized_ip_ranges",
                ),
                None => (body.span, "api_server_access_profile"),
            };
            (
                span,
                field.to_string(),
                format!("API server is {public} and no authorized IP ranges restrict it"),
                None,
            )
        }
    };
    explanation.extend(related(resource, attribute));
    out.report_related(span, field, message, explanation);
}

/// The field path of the block holding a ranges attribute: the access profile,
/// or the resource itself for the older top-level spelling.
fn profile_path(body: &TfBlock, attribute: &TfAttribute) -> &'static str {
    if body.attributes.iter().any(|a| std::ptr::eq(a, attribute)) {
        ""
    } else {
        "api_server_access_profile"
    }
}
