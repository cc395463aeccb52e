# The configuration whose plan is plan.tfplan.json (terraform show -json,
# pretty-printed): both must give the Azure rules the same findings.

resource "azurerm_key_vault" "main" {
  name                       = "kv-shop"
  location                   = "westeurope"
  resource_group_name        = "rg-shop-prod"
  tenant_id                  = "11111111-1111-1111-1111-111111111111"
  sku_name                   = "standard"
  soft_delete_retention_days = 90
  enable_rbac_authorization  = false

  network_acls {
    bypass         = "AzureServices"
    default_action = "Allow"
  }
}

resource "azurerm_container_registry" "main" {
  name                   = "acrshop"
  resource_group_name    = "rg-shop-prod"
  location               = "westeurope"
  sku                    = "Premium"
  admin_enabled          = true
  anonymous_pull_enabled = true

  network_rule_set {
    default_action = "Allow"
  }
}

resource "azurerm_security_center_subscription_pricing" "containers" {
  tier          = "Free"
  resource_type = "Containers"
}

resource "azurerm_log_analytics_workspace" "main" {
  name                = "log-shop"
  location            = "westeurope"
  resource_group_name = "rg-shop-prod"
  sku                 = "PerGB2018"
  retention_in_days   = 30
}

resource "azurerm_kubernetes_cluster" "main" {
  name                              = "aks-shop-prod"
  location                          = "westeurope"
  resource_group_name               = "rg-shop-prod"
  dns_prefix                        = "shop"
  automatic_upgrade_channel         = "patch"
  azure_policy_enabled              = true
  image_cleaner_enabled             = true
  image_cleaner_interval_hours      = 48
  local_account_disabled            = true
  private_cluster_enabled           = true
  role_based_access_control_enabled = true
  run_command_enabled               = false
  sku_tier                          = "Standard"
  workload_identity_enabled         = true

  default_node_pool {
    name                    = "system"
    vm_size                 = "Standard_D4s_v5"
    node_count              = 3
    host_encryption_enabled = true
  }

  identity {
    type = "SystemAssigned"
  }

  microsoft_defender {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id
  }
}

resource "azurerm_monitor_diagnostic_setting" "aks" {
  name                       = "aks-logs"
  target_resource_id         = azurerm_kubernetes_cluster.main.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/log-shop"

  enabled_log {
    category = "kube-apiserver"
  }
}

resource "azurerm_monitor_private_link_scope" "main" {
  name                  = "ampls-shop"
  resource_group_name   = "rg-shop-prod"
  ingestion_access_mode = "PrivateOnly"
  query_access_mode     = "Open"
}
