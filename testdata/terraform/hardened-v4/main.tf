# An AKS cluster hardened for azurerm 4.x: none of Vigie's AKS rules should
# report anything here, and every deciding value is known before apply.

terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.20"
    }
  }
}

locals {
  name     = "aks-${var.environment}"
  location = "francecentral"
}

resource "azurerm_resource_group" "aks" {
  name     = "rg-${local.name}"
  location = local.location
}

resource "azurerm_log_analytics_workspace" "aks" {
  name                = "law-${local.name}"
  location            = local.location
  resource_group_name = azurerm_resource_group.aks.name
  retention_in_days   = 365
}

resource "azurerm_user_assigned_identity" "aks" {
  name                = "id-${local.name}"
  location            = local.location
  resource_group_name = azurerm_resource_group.aks.name
}

resource "azurerm_kubernetes_cluster" "main" {
  name                = local.name
  location            = local.location
  resource_group_name = azurerm_resource_group.aks.name
  dns_prefix          = local.name
  sku_tier            = "Standard"

  # Access
  role_based_access_control_enabled = true
  local_account_disabled            = true
  run_command_enabled               = false
  oidc_issuer_enabled               = true
  workload_identity_enabled         = true

  # Exposure
  private_cluster_enabled             = true
  private_cluster_public_fqdn_enabled = false

  # Upgrades
  automatic_upgrade_channel = "patch"
  node_os_upgrade_channel   = "SecurityPatch"

  # Add-ons
  azure_policy_enabled         = true
  image_cleaner_enabled        = true
  image_cleaner_interval_hours = 48

  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4s_v5"
    vnet_subnet_id               = var.nodes_subnet_id
    host_encryption_enabled      = true
    node_public_ip_enabled       = false
    only_critical_addons_enabled = true
    zones                        = ["1", "2", "3"]
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.aks.id]
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = true
    admin_group_object_ids = var.admin_group_object_ids
  }

  key_management_service {
    key_vault_key_id         = var.etcd_key_id
    key_vault_network_access = "Private"
  }

  key_vault_secrets_provider {
    secret_rotation_enabled  = true
    secret_rotation_interval = "2m"
  }

  microsoft_defender {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.aks.id
  }

  oms_agent {
    log_analytics_workspace_id      = azurerm_log_analytics_workspace.aks.id
    msi_auth_for_monitoring_enabled = true
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_data_plane  = "cilium"
    network_policy      = "cilium"
    outbound_type       = "userDefinedRouting"
  }

  maintenance_window_auto_upgrade {
    frequency   = "Weekly"
    interval    = 1
    duration    = 4
    day_of_week = "Sunday"
    start_time  = "02:00"
  }

  maintenance_window_node_os {
    frequency   = "Weekly"
    interval    = 1
    duration    = 4
    day_of_week = "Saturday"
    start_time  = "02:00"
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "apps" {
  for_each = var.node_pools

  name                    = each.key
  kubernetes_cluster_id   = azurerm_kubernetes_cluster.main.id
  vm_size                 = each.value.vm_size
  vnet_subnet_id          = var.nodes_subnet_id
  host_encryption_enabled = true
  node_public_ip_enabled  = false
  zones                   = ["1", "2", "3"]
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "audit"
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.aks.id

  enabled_log {
    category = "kube-audit-admin"
  }

  enabled_log {
    category = "guard"
  }
}
