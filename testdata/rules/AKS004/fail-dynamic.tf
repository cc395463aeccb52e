variable "secrets_store" {
  type = object({ rotation = bool })
  default = {
    rotation = false
  }
}

resource "azurerm_kubernetes_cluster" "main" {
  name                = "aks-shop-prod"
  location            = "francecentral"
  resource_group_name = "rg-shop-prod"
  dns_prefix          = "shop-prod"

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }

  dynamic "key_vault_secrets_provider" {
    for_each = var.secrets_store == null ? [] : [var.secrets_store]
    content {
      secret_rotation_enabled  = key_vault_secrets_provider.value.rotation # expect: AKS004
      secret_rotation_interval = "2m"
    }
  }
}
