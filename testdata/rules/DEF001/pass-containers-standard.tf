resource "azurerm_security_center_subscription_pricing" "containers" {
  tier          = "Standard"
  resource_type = "Containers"
}

# resource_type defaults to VirtualMachines: not the Containers plan.
resource "azurerm_security_center_subscription_pricing" "vms" {
  tier = "Free"
}
