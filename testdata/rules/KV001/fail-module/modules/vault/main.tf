variable "name" {
  type = string
}

variable "purge_protection" {
  type    = bool
  default = true
}

resource "azurerm_key_vault" "this" {
  name                     = var.name
  location                 = "westeurope"
  resource_group_name      = "rg-shop-prod"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = var.purge_protection # expect: KV001
}
