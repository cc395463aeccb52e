locals {
  audit_categories = ["kube-audit-admin", "guard"]
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
}

resource "azurerm_kubernetes_cluster" "v3" {
  name                = "aks-legacy"
  location            = "westeurope"
  resource_group_name = "rg-shop-prod"
  dns_prefix          = "legacy"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-logs"
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/logs"

  dynamic "enabled_log" {
    for_each = local.audit_categories
    content {
      category = enabled_log.value
    }
  }
}

# azurerm 3.x `log` block: `enabled` defaults to true.
resource "azurerm_monitor_diagnostic_setting" "v3" {
  name                       = "aks-legacy-logs"
  target_resource_id         = azurerm_kubernetes_cluster.v3.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/logs"

  log {
    category_group = "audit"
  }
}
