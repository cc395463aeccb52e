# The value comes from a variable with no default and no tfvars: known only at
# apply time, so the rule does not judge it.
variable "azure_policy" {
  type = bool
}

resource "azurerm_kubernetes_cluster" "main" {
  name                 = "aks-shop-prod"
  location             = "francecentral"
  resource_group_name  = "rg-shop-prod"
  dns_prefix           = "shop-prod"
  azure_policy_enabled = var.azure_policy

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
