locals {
  acl_action = "Deny"
}

resource "azurerm_key_vault" "deny" {
  name                     = "kv-deny"
  location                 = "westeurope"
  resource_group_name      = "rg-shop-prod"
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = true

  network_acls {
    bypass         = "AzureServices"
    default_action = local.acl_action
  }
}

resource "azurerm_key_vault" "private" {
  name                          = "kv-private"
  location                      = "westeurope"
  resource_group_name           = "rg-shop-prod"
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  purge_protection_enabled      = true
  public_network_access_enabled = false
}
