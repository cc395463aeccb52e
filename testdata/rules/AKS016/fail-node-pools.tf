variable "pools" {
  type = map(object({ vm_size = string, public_ip = bool }))
  default = {
    apps  = { vm_size = "Standard_D8s_v5", public_ip = false }
    games = { vm_size = "Standard_F8s_v2", public_ip = true }
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "pool" {
  for_each               = var.pools
  name                   = each.key
  kubernetes_cluster_id  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shop-prod/providers/Microsoft.ContainerService/managedClusters/aks-shop-prod"
  vm_size                = each.value.vm_size
  node_public_ip_enabled = each.value.public_ip # expect: AKS016
}
