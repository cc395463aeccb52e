# azurerm 3.x spelling.
resource "azurerm_kubernetes_cluster" "main" {
  name                = "aks-shop-prod"
  location            = "francecentral"
  resource_group_name = "rg-shop-prod"
  dns_prefix          = "shop-prod"

  default_node_pool {
    name                  = "system"
    vm_size               = "Standard_D4s_v5"
    enable_node_public_ip = true # expect: AKS016
  }

  identity {
    type = "SystemAssigned"
  }
}
