resource "azurerm_log_analytics_workspace" "security" {
  name                = "law-shop-security"
  location            = "francecentral"
  resource_group_name = "rg-shop-prod"
  retention_in_days   = 365
}

resource "azurerm_kubernetes_cluster" "main" {
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

  microsoft_defender {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.security.id
  }
}
