resource "azurerm_key_vault" "v3" {
  name                      = "kv-v3"
  location                  = "westeurope"
  resource_group_name       = "rg-shop-prod"
  tenant_id                 = "00000000-0000-0000-0000-000000000000"
  sku_name                  = "standard"
  enable_rbac_authorization = true
}

resource "azurerm_key_vault" "v4" {
  name                       = "kv-v4"
  location                   = "westeurope"
  resource_group_name        = "rg-shop-prod"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "standard"
  rbac_authorization_enabled = true
}
