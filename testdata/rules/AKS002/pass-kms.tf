resource "azurerm_key_vault_key" "etcd" {
  name         = "etcd"
  key_vault_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shop-prod/providers/Microsoft.KeyVault/vaults/kv-shop-prod"
  key_type     = "RSA"
  key_size     = 2048
  key_opts     = ["encrypt", "decrypt", "wrapKey", "unwrapKey"]
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

  key_management_service {
    key_vault_key_id         = azurerm_key_vault_key.etcd.id
    key_vault_network_access = "Private"
  }
}
