# azurerm 4.x
resource "azurerm_kubernetes_cluster" "v4" {
  name                = "aks-v4"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "aks-v4"

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = true
    admin_group_object_ids = ["00000000-0000-0000-0000-000000000000"]
  }
}

# azurerm 3.x
resource "azurerm_kubernetes_cluster" "v3" {
  name                = "aks-v3"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "aks-v3"

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  azure_active_directory_role_based_access_control {
    managed            = true
    azure_rbac_enabled = true
  }
}

# No Entra ID integration at all: AKS008 reports it, not AKS021.
resource "azurerm_kubernetes_cluster" "no_entra" {
  name                = "aks-no-entra"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "aks-no-entra"

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }
}
