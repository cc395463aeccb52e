use super::{Flag, node_pools};
use crate::model::TfResource;
use crate::rules::{Context, Findings, Severity, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Node pools whose nodes get a public IP address: the `default_node_pool`
    /// of an `azurerm_kubernetes_cluster`, and every
    /// `azurerm_kubernetes_cluster_node_pool`, with `node_public_ip_enabled`
    /// (azurerm 4.x and later) or `enable_node_public_ip` (3.x) set to `true`.
    /// The provider default is `false`.
    ///
    /// ## Why it matters
    /// A node with a public address can be reached directly from the internet,
    /// bypassing the load balancer, the ingress controller and any firewall in
    /// front of the virtual network: its kubelet API, its SSH daemon, every
    /// NodePort and `hostPort` service. Pods on it also leave the cluster with
    /// the node's address, which defeats egress control. High: each node becomes
    /// an internet-facing host.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster_node_pool" "batch" {
    ///   name                   = "batch"
    ///   kubernetes_cluster_id  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aks-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod"
    ///   vm_size                = "Standard_D8s_v5"
    ///   node_public_ip_enabled = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove the attribute, or set it to `false`; publish services through a
    /// load balancer or an ingress instead.
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster_node_pool" "batch" {
    ///   name                   = "batch"
    ///   kubernetes_cluster_id  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aks-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod"
    ///   vm_size                = "Standard_D8s_v5"
    ///   node_public_ip_enabled = false
    /// }
    /// ```
    ///
    /// ## References
    /// - azurerm provider, `azurerm_kubernetes_cluster`:
    ///   `default_node_pool.node_public_ip_enabled`;
    ///   `azurerm_kubernetes_cluster_node_pool`: `node_public_ip_enabled` (both
    ///   `enable_node_public_ip` before azurerm 4.0)
    /// - CIS AKS Benchmark v1.8.0, 5.4.3 (ensure clusters are created with
    ///   private nodes)
    /// - Azure documentation, "Use instance-level public IPs in Azure Kubernetes
    ///   Service"
    pub static RULE = Rule {
        id: "AKS016",
        name: "aks-node-public-ip",
        severity: Severity::High,
        summary: "AKS nodes get public IP addresses",
        frameworks: &[],
        parameters: &[],
        check: crate::rules::Check::Terraform(check),
    };
}

const NODE_PUBLIC_IP: Flag = Flag {
    names: &["node_public_ip_enabled", "enable_node_public_ip"],
    default: false,
    secure: false,
    consequence: "each node has a public address reachable from the internet",
};

fn check(_: &Context, resource: &TfResource, out: &mut Findings) {
    for (pool, path) in node_pools(resource) {
        NODE_PUBLIC_IP.check(resource, pool, path, out);
    }
}
