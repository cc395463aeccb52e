#!/usr/bin/env python3
"""Benchmark: scan a large Terraform tree with `vigie scan`.

The generated tree (in a temporary directory, removed afterwards) has four
shared local modules (AKS cluster with node pools and diagnostic settings,
network, Key Vault, Log Analytics) and ENVIRONMENTS root modules. Each root
has its variables, locals, a terraform.tfvars, and calls the modules for
CLUSTERS clusters with for_each; node pools use for_each over an
object-typed map with optional() defaults, and subnets and network rules
use dynamic blocks. The scan runs --runs times; the median wall time and the
peak memory are printed.

Usage: perf/terraform-tree.py [--environments 70] [--clusters 3] [--runs 3]
       [--vigie target/release/vigie]
Build Vigie first: cargo build --release
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


MODULES = {
    "aks": {
        "variables.tf": """
variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "subnet_id" { type = string }
variable "workspace_id" { type = string }
variable "kubernetes_version" {
  type    = string
  default = "1.30"
}
variable "node_pools" {
  type = map(object({
    vm_size   = string
    min_count = optional(number, 1)
    max_count = optional(number, 3)
    zones     = optional(list(string), ["1", "2", "3"])
    taints    = optional(list(string), [])
  }))
  default = {}
}
variable "tags" {
  type    = map(string)
  default = {}
}
""",
        "main.tf": """
locals {
  dns_prefix = replace(lower(var.name), "_", "-")
  tags       = merge(var.tags, { module = "aks", cluster = var.name })
}

resource "azurerm_kubernetes_cluster" "this" {
  name                              = var.name
  location                          = var.location
  resource_group_name               = var.resource_group_name
  dns_prefix                        = local.dns_prefix
  kubernetes_version                = var.kubernetes_version
  local_account_disabled            = true
  role_based_access_control_enabled = true
  azure_policy_enabled              = true
  private_cluster_enabled           = startswith(var.name, "prod")
  sku_tier                          = startswith(var.name, "prod") ? "Standard" : "Free"
  tags                              = local.tags

  default_node_pool {
    name                 = "system"
    vm_size              = "Standard_D4s_v5"
    vnet_subnet_id       = var.subnet_id
    auto_scaling_enabled = true
    min_count            = 2
    max_count            = 5
    zones                = ["1", "2", "3"]
    only_critical_addons_enabled = true
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin = "azure"
    network_policy = "azure"
    outbound_type  = "userDefinedRouting"
  }

  oms_agent {
    log_analytics_workspace_id = var.workspace_id
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled = true
  }
}
""",
        "node_pools.tf": """
resource "azurerm_kubernetes_cluster_node_pool" "pool" {
  for_each              = var.node_pools
  name                  = substr(each.key, 0, 12)
  kubernetes_cluster_id = azurerm_kubernetes_cluster.this.id
  vm_size               = each.value.vm_size
  auto_scaling_enabled  = each.value.max_count > each.value.min_count
  min_count             = each.value.min_count
  max_count             = each.value.max_count
  zones                 = each.value.zones
  node_taints           = each.value.taints
  vnet_subnet_id        = var.subnet_id
  tags                  = merge(local.tags, { pool = each.key })
}
""",
        "diagnostics.tf": """
resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "diag-${var.name}"
  target_resource_id         = azurerm_kubernetes_cluster.this.id
  log_analytics_workspace_id = var.workspace_id

  dynamic "enabled_log" {
    for_each = toset(["kube-apiserver", "kube-audit-admin", "guard"])
    content {
      category = enabled_log.value
    }
  }
}
""",
        "outputs.tf": """
output "id" {
  value = azurerm_kubernetes_cluster.this.id
}
output "pool_names" {
  value = [for name, pool in var.node_pools : name]
}
""",
    },
    "network": {
        "variables.tf": """
variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "address_space" { type = list(string) }
variable "subnets" { type = map(string) }
""",
        "main.tf": """
resource "azurerm_virtual_network" "this" {
  name                = "vnet-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  address_space       = var.address_space
}

resource "azurerm_subnet" "this" {
  for_each             = var.subnets
  name                 = each.key
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this.name
  address_prefixes     = [each.value]
}
""",
        "security.tf": """
resource "azurerm_network_security_group" "this" {
  name                = "nsg-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name

  dynamic "security_rule" {
    for_each = { for i, port in [443, 8443, 9443] : "allow-${port}" => { port = port, priority = 100 + i } }
    content {
      name                       = security_rule.key
      priority                   = security_rule.value.priority
      direction                  = "Inbound"
      access                     = "Allow"
      protocol                   = "Tcp"
      destination_port_range     = tostring(security_rule.value.port)
      source_address_prefix      = "VirtualNetwork"
      destination_address_prefix = "*"
      source_port_range          = "*"
    }
  }
}
""",
        "outputs.tf": """
output "subnet_ids" {
  value = { for name, subnet in azurerm_subnet.this : name => subnet.id }
}
""",
    },
    "keyvault": {
        "variables.tf": """
variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "tenant_id" { type = string }
variable "allowed_ips" {
  type    = list(string)
  default = []
}
""",
        "main.tf": """
resource "azurerm_key_vault" "this" {
  name                          = substr("kv-${var.name}", 0, 24)
  location                      = var.location
  resource_group_name           = var.resource_group_name
  tenant_id                     = var.tenant_id
  sku_name                      = "premium"
  purge_protection_enabled      = true
  soft_delete_retention_days    = 90
  enable_rbac_authorization     = true
  public_network_access_enabled = length(var.allowed_ips) > 0

  network_acls {
    bypass         = "AzureServices"
    default_action = "Deny"
    ip_rules       = var.allowed_ips
  }
}
""",
        "keys.tf": """
resource "azurerm_key_vault_key" "etcd" {
  name         = "etcd-encryption"
  key_vault_id = azurerm_key_vault.this.id
  key_type     = "RSA-HSM"
  key_size     = 4096
  key_opts     = ["decrypt", "encrypt", "unwrapKey", "wrapKey"]
}
""",
        "outputs.tf": """
output "id" {
  value = azurerm_key_vault.this.id
}
""",
    },
    "monitor": {
        "variables.tf": """
variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "retention_in_days" {
  type    = number
  default = 30
}
""",
        "main.tf": """
resource "azurerm_log_analytics_workspace" "this" {
  name                = "log-${var.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "PerGB2018"
  retention_in_days   = max(var.retention_in_days, 30)
}
""",
        "outputs.tf": """
output "id" {
  value = azurerm_log_analytics_workspace.this.id
}
""",
    },
}


def environment(root, index, clusters):
    env = os.path.join(root, "envs", f"env{index:03d}")
    stage = ["dev", "staging", "prod"][index % 3]
    write(os.path.join(env, "terraform.tf"), """
terraform {
  required_version = ">= 1.6"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
}
""")
    write(os.path.join(env, "variables.tf"), """
variable "stage" { type = string }
variable "location" {
  type    = string
  default = "westeurope"
}
variable "clusters" {
  type = map(object({
    cidr       = string
    node_pools = optional(map(object({
      vm_size   = string
      min_count = optional(number, 1)
      max_count = optional(number, 3)
      zones     = optional(list(string), ["1", "2", "3"])
      taints    = optional(list(string), [])
    })), {})
  }))
}
variable "allowed_ips" {
  type    = list(string)
  default = []
}
""")
    write(os.path.join(env, "locals.tf"), f"""
locals {{
  prefix = "{stage}-env{index:03d}"
  tags = {{
    environment = var.stage
    owner       = "platform"
    cost_center = format("CC-%04d", {index})
  }}
  cluster_names = {{ for name, c in var.clusters : name => "${{local.prefix}}-${{name}}" }}
}}
""")
    write(os.path.join(env, "main.tf"), """
data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "main" {
  name     = "rg-${local.prefix}"
  location = var.location
  tags     = local.tags
}

module "monitor" {
  source              = "../../modules/monitor"
  name                = local.prefix
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name
  retention_in_days   = var.stage == "prod" ? 365 : 30
}

module "keyvault" {
  source              = "../../modules/keyvault"
  name                = local.prefix
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name
  tenant_id           = data.azurerm_client_config.current.tenant_id
  allowed_ips         = var.allowed_ips
}
""")
    write(os.path.join(env, "network.tf"), """
module "network" {
  source              = "../../modules/network"
  for_each            = var.clusters
  name                = local.cluster_names[each.key]
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name
  address_space       = [each.value.cidr]
  subnets             = { nodes = cidrsubnet(each.value.cidr, 4, 0), pods = cidrsubnet(each.value.cidr, 4, 1) }
}
""")
    write(os.path.join(env, "aks.tf"), """
module "aks" {
  source              = "../../modules/aks"
  for_each            = var.clusters
  name                = local.cluster_names[each.key]
  location            = var.location
  resource_group_name = azurerm_resource_group.main.name
  subnet_id           = module.network[each.key].subnet_ids["nodes"]
  workspace_id        = module.monitor.id
  node_pools          = each.value.node_pools
  tags                = local.tags
}
""")
    write(os.path.join(env, "outputs.tf"), """
output "cluster_ids" {
  value = { for name, cluster in module.aks : name => cluster.id }
}
""")
    pools = "\n".join(
        f'      pool{p} = {{ vm_size = "Standard_D{4 * (p + 1)}s_v5", max_count = {3 + p} }}'
        for p in range(3)
    )
    entries = "\n".join(
        f"""  c{c} = {{
    cidr = "10.{index % 250}.{c * 16}.0/20"
    node_pools = {{
{pools}
    }}
  }}"""
        for c in range(clusters)
    )
    write(os.path.join(env, "terraform.tfvars"), f"""stage = "{stage}"
allowed_ips = ["203.0.113.{index % 250}"]
clusters = {{
{entries}
}}
""")


def generate(root, environments, clusters):
    for module, files in MODULES.items():
        for name, text in files.items():
            write(os.path.join(root, "modules", module, name), text)
    for i in range(environments):
        environment(root, i, clusters)
    # A .git directory makes the tree its own repository (the module boundary).
    os.makedirs(os.path.join(root, ".git"), exist_ok=True)


def count(root, suffix):
    return sum(
        1 for _, _, files in os.walk(root) for f in files if f.endswith(suffix)
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--environments", type=int, default=70)
    parser.add_argument("--clusters", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--vigie", default="target/release/vigie")
    args = parser.parse_args()
    vigie = os.path.abspath(args.vigie)
    if not os.path.exists(vigie):
        sys.exit(f"{vigie} not found: cargo build --release")
    root = tempfile.mkdtemp(prefix="vigie-tf-")
    try:
        generate(root, args.environments, args.clusters)
        # Per cluster: cluster, 3 pools, diagnostic setting, vnet, 2 subnets,
        # NSG; per environment: data source, resource group, workspace,
        # vault, key.
        instances = args.environments * (args.clusters * 9 + 5)
        print(f"{count(root, '.tf')} .tf files, {args.environments} root modules, "
              f"{instances} resource instances expected")
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = subprocess.run(
                [vigie, "scan", "--format", "json", "."],
                cwd=root, capture_output=True, text=True,
            )
            times.append(time.perf_counter() - start)
            if result.returncode not in (0, 1):
                sys.exit(f"vigie scan failed: {result.stderr}")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        import json
        report = json.loads(result.stdout)
        diagnostics = report.get("diagnostics", [])
        print(f"vigie scan: median {statistics.median(times) * 1000:.0f} ms "
              f"over {args.runs} runs, peak memory {peak:.0f} MiB, "
              f"{len(diagnostics)} diagnostics")
        for d in diagnostics[:5]:
            print(f"  {d}")
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
