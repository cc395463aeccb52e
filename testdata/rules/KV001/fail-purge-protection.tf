variable "purge_protection" {
  type    = bool
  default = false
}

resource "azurerm_key_vault" "unset" { # expect: KV001
  name                = "kv-unset"
  location            = "westeurope"
  resource_group_name = "rg-shop-prod"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

resource "azurerm_key_vault" "from_variable" {
  name                     = "kv-variable"
  location                 = "westeurope"
  resource_group_name      = "rg-shop-prod"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = var.purge_protection # expect: KV001
}
