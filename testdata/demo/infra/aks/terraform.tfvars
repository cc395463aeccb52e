# Opened for the migration weekend; nobody closed it.
admin_ip_ranges = ["0.0.0.0/0"]
etcd_key_id     = "https://kv-shop-prod.vault.azure.net/keys/etcd/0123456789abcdef"
