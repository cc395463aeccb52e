resource "azurerm_kubernetes_cluster" "main" { # expect: AKS008
  name                = "aks-shop-prod"
  location            = "francecentral"
  resource_group_name = "rg-shop-prod"
  dns_prefix          = "shop-prod"

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
