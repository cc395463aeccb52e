variable "local_accounts_disabled" {
  type    = bool
  default = true
}

resource "azurerm_kubernetes_cluster" "main" {
  name                   = "aks-shop-prod"
  location               = "francecentral"
  resource_group_name    = "rg-shop-prod"
  dns_prefix             = "shop-prod"
  local_account_disabled = var.local_accounts_disabled # expect: AKS009

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
