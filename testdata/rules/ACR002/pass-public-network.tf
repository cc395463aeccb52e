resource "azurerm_container_registry" "private" {
  name                          = "acrprivate"
  resource_group_name           = "rg-shop-prod"
  location                      = "westeurope"
  sku                           = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_container_registry" "deny" {
  name                = "acrdeny"
  resource_group_name = "rg-shop-prod"
  location            = "westeurope"
  sku                 = "Premium"

  network_rule_set {
    default_action = "Deny"

    ip_rule {
      action   = "Allow"
      ip_range = "203.0.113.0/24"
    }
  }
}
