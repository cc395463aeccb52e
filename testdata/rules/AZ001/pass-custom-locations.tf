# vigie-params: {"allowed_locations": ["westeurope", "switzerlandnorth", "uksouth"]}
resource "azurerm_key_vault" "swiss" {
  name                = "kv-shop-ch"
  resource_group_name = "rg-shop-prod"
  location            = "Switzerland North"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

resource "azurerm_storage_account" "exports" {
  name                     = "stshopexports"
  resource_group_name      = "rg-shop-prod"
  location                 = "uksouth"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
}
