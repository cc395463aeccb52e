use super::{Flag, cluster};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `azurerm_kubernetes_cluster` resources with
    /// `http_application_routing_enabled = true` (absent means `false`).
    ///
    /// ## Why it matters
    /// The HTTP application routing add-on installs an NGINX ingress
    /// controller behind a public load balancer and a public DNS zone that
    /// publishes every Ingress host it serves. Microsoft designed it for quick
    /// tests, says it is not for production, and has retired it: it gets no
    /// updates, has no TLS or WAF integration, and exposes services to the
    /// internet by default. Medium: an unmaintained, internet-facing component
    /// in the request path. The application routing add-on (`web_app_routing`)
    /// or a managed ingress controller replaces it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                             = "aks-prod"
    ///   location                         = "westeurope"
    ///   resource_group_name              = "rg-aks-prod"
    ///   dns_prefix                       = "aks-prod"
    ///   http_application_routing_enabled = true
    ///
    ///   default_node_pool {
    ///     name    = "system"
    ///     vm_size = "Standard_D4s_v5"
    ///   }
    ///
    ///   identity {
    ///     type = "SystemAssigned"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
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
    ///   web_app_routing {
    ///     dns_zone_ids = []
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`:
    ///   `http_application_routing_enabled`
    ///   (`addon_profile.http_application_routing` before azurerm 3.0)
    /// - Azure documentation, "HTTP application routing add-on for Azure
    ///   Kubernetes Service (retired)"; "Managed NGINX ingress with the
    ///   application routing add-on"
    pub static RULE = Rule {
        id: "AKS018",
        name: "aks-http-application-routing",
        severity: Severity::Medium,
        summary: "AKS cluster uses the retired HTTP application routing add-on",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const HTTP_APPLICATION_ROUTING: Flag = Flag {
    names: &["http_application_routing_enabled"],
    default: false,
    secure: false,
    consequence: "the retired add-on publishes services through a public DNS zone",
};

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    if let Some(body) = cluster(resource) {
        HTTP_APPLICATION_ROUTING.check(resource, body, "", out);
    }
}
