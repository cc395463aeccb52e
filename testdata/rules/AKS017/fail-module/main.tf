resource "azurerm_kubernetes_cluster" "main" { # expect: AKS017
  name                = "aks-shop-prod"
  location            = "westeurope"
  resource_group_name = "rg-shop-prod"
  dns_prefix          = "shop"

  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 3
  }

  identity {
    type = "SystemAssigned"
  }
}

module "logs" {
  source     = "./modules/logs"
  cluster_id = azurerm_kubernetes_cluster.main.id
  categories = var.categories
}

variable "categories" {
  type = list(string)
}
