# A legacy sandbox cluster, switched off: count = 0 creates no instance.
resource "azurerm_kubernetes_cluster" "sandbox" {
  count                             = 0
  name                              = "aks-sandbox"
  location                          = "francecentral"
  resource_group_name               = "rg-sandbox"
  dns_prefix                        = "sandbox"
  role_based_access_control_enabled = false

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D2s_v5"
  }

  identity {
    type = "SystemAssigned"
  }
}
