variable "purge_protection" {
  type = bool
}

resource "azurerm_key_vault" "on" {
  name                     = "kv-on"
  location                 = "westeurope"
  resource_group_name      = "rg-shop-prod"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = true
}

# Without a value for the variable, the setting is unknown: not judged.
resource "azurerm_key_vault" "unknown" {
  name                     = "kv-unknown"
  location                 = "westeurope"
  resource_group_name      = "rg-shop-prod"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = var.purge_protection
}

# count = 0: the vault does not exist.
resource "azurerm_key_vault" "disabled" {
  count               = 0
  name                = "kv-disabled"
  location            = "westeurope"
  resource_group_name = "rg-shop-prod"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

data "azurerm_key_vault" "existing" {
  name                = "kv-existing"
  resource_group_name = "rg-shared"
}
