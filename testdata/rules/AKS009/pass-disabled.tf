resource "azurerm_kubernetes_cluster" "main" {
  name                   = "aks-shop-prod"
  location               = "francecentral"
  resource_group_name    = "rg-shop-prod"
  dns_prefix             = "shop-prod"
  local_account_disabled = true

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled = true
  }
}
