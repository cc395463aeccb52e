# vigie-params: {"min_retention_days": 90}
resource "azurerm_log_analytics_workspace" "main" {
  name                = "log-shop"
  location            = "westeurope"
  resource_group_name = "rg-shop-prod"
  sku                 = "PerGB2018"
  retention_in_days   = 90
}
