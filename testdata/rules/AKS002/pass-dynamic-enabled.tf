variable "etcd_key_id" {
  type    = string
  default = "https://kv-shop-prod.vault.azure.net/keys/etcd/0123456789abcdef"
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

  dynamic "key_management_service" {
    for_each = var.etcd_key_id == null ? [] : [var.etcd_key_id]
    content {
      key_vault_key_id = key_management_service.value
    }
  }
}
