# azurerm 3.x spellings, with the `managed` attribute 4.0 removed.
variable "azure_rbac" {
  type    = bool
  default = false
}

resource "azurerm_kubernetes_cluster" "managed" {
  name                = "aks-managed"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "aks-managed"

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  azure_active_directory_role_based_access_control {
    managed                = true
    azure_rbac_enabled     = var.azure_rbac # expect: AKS021
    admin_group_object_ids = ["00000000-0000-0000-0000-000000000000"]
  }
}

resource "azurerm_kubernetes_cluster" "legacy" {
  name                = "aks-legacy"
  location            = "westeurope"
  resource_group_name = "rg-aks"
  dns_prefix          = "aks-legacy"

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  azure_active_directory_role_based_access_control {
    managed            = false # expect: AKS021
    azure_rbac_enabled = true
    client_app_id      = "00000000-0000-0000-0000-000000000001"
    server_app_id      = "00000000-0000-0000-0000-000000000002"
    server_app_secret  = "not-a-real-secret"
  }
}
