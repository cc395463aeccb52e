resource "azurerm_container_registry" "off" {
  name                   = "acroff"
  resource_group_name    = "rg-shop-prod"
  location               = "westeurope"
  sku                    = "Standard"
  anonymous_pull_enabled = false
}

resource "azurerm_container_registry" "default" {
  name                = "acrdefault"
  resource_group_name = "rg-shop-prod"
  location            = "westeurope"
  sku                 = "Standard"
}
