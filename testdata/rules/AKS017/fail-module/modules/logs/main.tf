variable "cluster_id" {
  type = string
}

variable "categories" {
  type = list(string)
}

resource "azurerm_monitor_diagnostic_setting" "this" {
  name                       = "aks-logs"
  target_resource_id         = var.cluster_id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/logs"

  dynamic "enabled_log" {
    for_each = var.categories
    content {
      category = enabled_log.value
    }
  }
}
