nodes_subnet_id        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/aks-nodes"
admin_group_object_ids = ["00000000-0000-0000-0000-000000000000"]
etcd_key_id            = "https://kv-aks-prod.vault.azure.net/keys/etcd/0123456789abcdef"
