resource "azurerm_log_analytics_workspace" "main" {
  name                = "log-shop"
  location            = "westeurope"
  resource_group_name = "rg-shop-prod"
  sku                 = "PerGB2018"
  retention_in_days   = 365
}

resource "azurerm_kubernetes_cluster" "main" {
  name                = "aks-shop-prod"
  location            = "westeurope"
  resource_group_name = "rg-shop-prod"
  dns_prefix          = "shop"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }

  microsoft_defender {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  }
}

resource "azurerm_monitor_private_link_scope" "main" {
  name                  = "ampls-shop"
  resource_group_name   = "rg-shop-prod"
  ingestion_access_mode = "PrivateOnly" # expect: MON001
  query_access_mode     = "PrivateOnly" # expect: MON001
}
