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

# azurerm 3.x `log` block, switched off.
resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-logs"
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/logs"

  log {
    category = "kube-audit"
    enabled  = false
  }
}
