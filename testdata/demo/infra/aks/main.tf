# The shop's production cluster.

locals {
  name = "aks-shop-${var.environment}"
}

resource "azurerm_log_analytics_workspace" "aks" {
  name                = "law-${local.name}"
  location            = var.location
  resource_group_name = var.resource_group_name
  retention_in_days   = 365
}

resource "azurerm_kubernetes_cluster" "shop" {
  name                = local.name
  location            = var.location
  resource_group_name = var.resource_group_name
  dns_prefix          = local.name
  sku_tier            = "Standard"

  azure_policy_enabled      = true
  oidc_issuer_enabled       = true
  workload_identity_enabled = true
  image_cleaner_enabled     = true
  automatic_upgrade_channel = "patch"

  # Break-glass access, "until Entra ID groups are sorted out".
  local_account_disabled = false

  default_node_pool {
    name                    = "system"
    vm_size                 = "Standard_D4s_v5"
    host_encryption_enabled = true
  }

  identity {
    type = "SystemAssigned"
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled = true
  }

  api_server_access_profile {
    authorized_ip_ranges = var.admin_ip_ranges
  }

  network_profile {
    network_plugin = "azure"
  }

  key_management_service {
    key_vault_key_id = var.etcd_key_id
  }

  key_vault_secrets_provider {
    secret_rotation_enabled = true
  }

  microsoft_defender {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.aks.id
  }

  oms_agent {
    log_analytics_workspace_id      = azurerm_log_analytics_workspace.aks.id
    msi_auth_for_monitoring_enabled = true
  }
}

# Game servers need to be reached directly by players.
resource "azurerm_kubernetes_cluster_node_pool" "games" {
  name                   = "games"
  kubernetes_cluster_id  = azurerm_kubernetes_cluster.shop.id
  vm_size                = "Standard_F8s_v2"
  node_public_ip_enabled = true
}

resource "azurerm_monitor_diagnostic_setting" "aks_audit" {
  name                       = "audit"
  target_resource_id         = azurerm_kubernetes_cluster.shop.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.aks.id

  enabled_log {
    category = "kube-audit-admin"
  }
}
