# azurerm 4.x: the block always means AKS-managed Entra ID integration.
resource "azurerm_kubernetes_cluster" "default" {
  name                = "aks-default"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "aks-default"

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  azure_active_directory_role_based_access_control { # expect: AKS021
    admin_group_object_ids = ["00000000-0000-0000-0000-000000000000"]
  }
}

resource "azurerm_kubernetes_cluster" "explicit" {
  name                = "aks-explicit"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "aks-explicit"

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = false # expect: AKS021
    admin_group_object_ids = ["00000000-0000-0000-0000-000000000000"]
  }
}
