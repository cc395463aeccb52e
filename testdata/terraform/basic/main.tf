variable "env" {
  type    = string
  default = "dev"
}

variable "node_count" {
  type    = number
  default = 1
}

variable "pools" {
  type = map(object({
    vm_size = string
    zones   = optional(list(string), ["1"])
  }))
  default = {}
}

variable "secret_id" {
  type = string
}

locals {
  name   = "aks-${var.env}"
  tags   = merge(local.common, { env = var.env })
  common = { owner = "platform" }
  sizes  = [for k, p in var.pools : upper(p.vm_size) if k != "skip"]
}

resource "azurerm_resource_group" "main" {
  name     = "rg-${local.name}"
  location = "westeurope"
}

resource "azurerm_kubernetes_cluster" "main" {
  name                = local.name
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  local_account_disabled = var.env == "prod"
  tags                = local.tags

  default_node_pool {
    name       = "system"
    node_count = var.node_count
  }

  dynamic "network_profile" {
    for_each = var.env == "prod" ? [1] : []
    content {
      network_policy = "azure"
    }
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "pool" {
  for_each              = var.pools
  name                  = each.key
  kubernetes_cluster_id = azurerm_kubernetes_cluster.main.id
  vm_size               = each.value.vm_size
  zones                 = each.value.zones
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  count              = var.env == "prod" ? 1 : 0
  name               = "diag-${count.index}"
  target_resource_id = azurerm_kubernetes_cluster.main.id
}

module "aks" {
  source   = "./modules/aks"
  for_each = toset(["a", "b"])
  prefix   = "${local.name}-${each.key}"
}

module "remote" {
  source  = "Azure/aks/azurerm"
  version = "9.0.0"
}

resource "azurerm_key_vault" "kv" {
  name      = module.aks["a"].vault_name
  tenant_id = module.remote.tenant_id
  secret    = var.secret_id
  sizes     = local.sizes
}
