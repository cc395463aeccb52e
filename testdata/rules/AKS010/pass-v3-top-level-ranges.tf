resource "azurerm_kubernetes_cluster" "main" {
  name                            = "aks-shop-prod"
  location                        = "francecentral"
  resource_group_name             = "rg-shop-prod"
  dns_prefix                      = "shop-prod"
  api_server_authorized_ip_ranges = ["203.0.113.0/28"]

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
