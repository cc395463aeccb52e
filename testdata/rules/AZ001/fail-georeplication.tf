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
