variable "azure_policy" {
  type    = bool
  default = false
}

resource "azurerm_kubernetes_cluster" "main" {
  name                 = "aks-shop-prod"
  location             = "francecentral"
  resource_group_name  = "rg-shop-prod"
  dns_prefix           = "shop-prod"
  azure_policy_enabled = var.azure_policy # expect: AKS001

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
