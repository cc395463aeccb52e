variable "prefix" {
  type = string
}

resource "azurerm_key_vault" "kv" {
  name                     = "${var.prefix}-kv"
  purge_protection_enabled = true
}

output "vault_name" {
  value = azurerm_key_vault.kv.name
}

output "prefix" {
  value = var.prefix
}
