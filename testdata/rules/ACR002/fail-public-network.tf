resource "azurerm_container_registry" "open" { # expect: ACR002
  name                = "acropen"
  resource_group_name = "rg-shop-prod"
  location            = "westeurope"
  sku                 = "Premium"
}

resource "azurerm_container_registry" "allow" {
  name                = "acrallow"
  resource_group_name = "rg-shop-prod"
  location            = "westeurope"
  sku                 = "Premium"

  network_rule_set {
    default_action = "Allow" # expect: ACR002

    ip_rule {
      action   = "Allow"
      ip_range = "203.0.113.0/24"
    }
  }
}
