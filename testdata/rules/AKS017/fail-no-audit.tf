resource "azurerm_kubernetes_cluster" "main" { # expect: AKS017
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
}

resource "azurerm_kubernetes_cluster" "unmonitored" { # expect: AKS017
  name                = "aks-batch-prod"
  location            = "westeurope"
  resource_group_name = "rg-shop-prod"
  dns_prefix          = "batch"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_log_analytics_workspace" "main" {
  name                = "log-shop"
  location            = "westeurope"
  resource_group_name = "rg-shop-prod"
  sku                 = "PerGB2018"
  retention_in_days   = 365
}

# Exports the API server log, not the audit log.
resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-logs"
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id

  enabled_log {
    category = "kube-apiserver"
  }
}
