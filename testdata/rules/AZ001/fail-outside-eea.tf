variable "dr_region" {
  type    = string
  default = "East US 2"
}

resource "azurerm_resource_group" "shop" {
  name     = "rg-shop-prod"
  location = "eastus" # expect: AZ001
}

resource "azurerm_storage_account" "exports" {
  name                     = "stshopexports"
  resource_group_name      = "rg-shop-prod"
  location                 = "UK South" # expect: AZ001
  account_tier             = "Standard"
  account_replication_type = "ZRS"
}

resource "azurerm_postgresql_flexible_server" "dr" {
  name                = "psql-shop-dr"
  resource_group_name = "rg-shop-dr"
  location            = var.dr_region # expect: AZ001
  sku_name            = "GP_Standard_D2ds_v5"
}

resource "azurerm_key_vault" "swiss" {
  name                = "kv-shop-ch"
  resource_group_name = "rg-shop-prod"
  location            = "switzerlandnorth" # expect: AZ001
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}
