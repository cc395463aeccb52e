resource "azurerm_container_registry" "explicit" {
  name                = "acrexplicit"
  resource_group_name = "rg-shop-prod"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = false
}

resource "azurerm_container_registry" "default" {
  name                = "acrdefault"
  resource_group_name = "rg-shop-prod"
  location            = "westeurope"
  sku                 = "Basic"
}
