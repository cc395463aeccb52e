resource "azurerm_container_registry" "main" {
  name                = "acrshopprod"
  resource_group_name = "rg-shop-prod"
  location            = "westeurope"
  sku                 = "Premium"

  georeplications {
    location = "northeurope"
  }

  georeplications {
    location                = "eastus" # expect: AZ001
    zone_redundancy_enabled = true
  }
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
    location          = "canadacentral" # expect: AZ001
    failover_priority = 1
  }
}
