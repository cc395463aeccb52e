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

  oms_agent {
    log_analytics_workspace_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-shop"
    msi_auth_for_monitoring_enabled = true
  }
}
