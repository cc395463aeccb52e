variable "region" {
  type    = string
  default = "France Central"
}

resource "azurerm_resource_group" "shop" {
  name     = "rg-shop-prod"
  location = var.region
}

# The location of another resource is known only after apply: a note, not a
# finding (the resource group's own location is judged above).
resource "azurerm_storage_account" "exports" {
  name                     = "stshopexports"
  resource_group_name      = azurerm_resource_group.shop.name
  location                 = azurerm_resource_group.shop.location
  account_tier             = "Standard"
  account_replication_type = "GZRS"
}

resource "azurerm_container_registry" "main" {
  name                = "acrshopprod"
  resource_group_name = "rg-shop-prod"
  location            = "West Europe"
  sku                 = "Premium"

  georeplications {
    location = "germanywestcentral"
  }
}

# Global resources name no region.
resource "azurerm_monitor_action_group" "oncall" {
  name                = "ag-oncall"
  resource_group_name = "rg-shop-prod"
  location            = "global"
  short_name          = "oncall"
}

# No location attribute at all.
resource "azurerm_dns_zone" "shop" {
  name                = "shop.example.com"
  resource_group_name = "rg-shop-prod"
}

# Data sources describe resources managed elsewhere.
data "azurerm_resource_group" "legacy" {
  name = "rg-legacy-us"
}

# Other providers' locations are not Azure regions.
resource "google_storage_bucket" "archive" {
  name     = "shop-archive"
  location = "US"
}

resource "azurerm_cosmosdb_account" "orders" {
  name                = "cosmos-shop-orders"
  location            = "francecentral"
  resource_group_name = "rg-shop-prod"
  offer_type          = "Standard"

  consistency_policy {
    consistency_level = "Session"
  }

  geo_location {
    location          = "francecentral"
    failover_priority = 0
  }

  geo_location {
    location          = "francesouth"
    failover_priority = 1
  }
}
