resource "azurerm_container_registry" "main" {
  name                   = "acrshopprod"
  resource_group_name    = "rg-shop-prod"
  location               = "westeurope"
  sku                    = "Standard"
  anonymous_pull_enabled = true # expect: ACR003
}
