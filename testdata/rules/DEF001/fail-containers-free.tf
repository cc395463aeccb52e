locals {
  plans = {
    Containers = "Free"
    KeyVaults  = "Standard"
  }
}

resource "azurerm_security_center_subscription_pricing" "plan" {
  for_each      = local.plans
  tier          = each.value # expect: DEF001
  resource_type = each.key
}
