# A cluster created only in some environments; here it is not created at all.
variable "create_cluster" {
  type    = bool
  default = false
}

resource "azurerm_kubernetes_cluster" "main" {
  count               = var.create_cluster ? 1 : 0
  name                = "aks-shop-preview"
  location            = "francecentral"
  resource_group_name = "rg-shop-preview"
  dns_prefix          = "shop-preview"

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
