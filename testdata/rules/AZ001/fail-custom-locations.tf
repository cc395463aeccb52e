# vigie-params: {"allowed_locations": ["France Central", "France South"]}
resource "azurerm_kubernetes_cluster" "main" {
  name                = "aks-shop-prod"
  location            = "westeurope" # expect: AZ001
  resource_group_name = "rg-shop-prod"
  dns_prefix          = "aks-shop-prod"

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }
}

resource "azurerm_log_analytics_workspace" "main" {
  name                = "log-shop-prod"
  location            = "francecentral"
  resource_group_name = "rg-shop-prod"
}
