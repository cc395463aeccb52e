# azurerm 3.x spelling.
resource "azurerm_key_vault" "v3" {
  name                      = "kv-v3"
  location                  = "westeurope"
  resource_group_name       = "rg-shop-prod"
  tenant_id                 = "00000000-0000-0000-0000-000000000000"
  sku_name                  = "standard"
  enable_rbac_authorization = false # expect: KV003
}

# azurerm 4.42+ spelling.
resource "azurerm_key_vault" "v4" {
  name                       = "kv-v4"
  location                   = "westeurope"
  resource_group_name        = "rg-shop-prod"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "standard"
  rbac_authorization_enabled = false # expect: KV003
}

resource "azurerm_key_vault" "default" { # expect: KV003
  name                = "kv-default"
  location            = "westeurope"
  resource_group_name = "rg-shop-prod"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"

  access_policy {
    tenant_id          = "00000000-0000-0000-0000-000000000000"
    object_id          = "22222222-2222-2222-2222-222222222222"
    secret_permissions = ["Get", "List"]
  }
}
