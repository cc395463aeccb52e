variable "admin_enabled" {
  type    = bool
  default = true
}

resource "azurerm_container_registry" "main" {
  name                = "acrshopprod"
  resource_group_name = "rg-shop-prod"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = var.admin_enabled # expect: ACR001
}
