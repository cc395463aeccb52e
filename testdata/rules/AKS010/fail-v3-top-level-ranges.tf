# azurerm 3.x spelling, removed in 4.0.
resource "azurerm_kubernetes_cluster" "main" {
  name                            = "aks-shop-prod"
  location                        = "francecentral"
  resource_group_name             = "rg-shop-prod"
  dns_prefix                      = "shop-prod"
  private_cluster_enabled         = false
  api_server_authorized_ip_ranges = [] # expect: AKS010

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
