resource "azurerm_log_analytics_workspace" "explicit" {
  name                = "log-explicit"
  location            = "westeurope"
  resource_group_name = "rg-shop-prod"
  sku                 = "PerGB2018"
  retention_in_days   = 90 # expect: MON002
}

resource "azurerm_log_analytics_workspace" "default" { # expect: MON002
  name                = "log-default"
  location            = "westeurope"
  resource_group_name = "rg-shop-prod"
  sku                 = "PerGB2018"
}
