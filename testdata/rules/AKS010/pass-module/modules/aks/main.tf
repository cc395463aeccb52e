variable "name" {
  type = string
}

variable "authorized_ip_ranges" {
  type    = list(string)
  default = []
}

resource "azurerm_kubernetes_cluster" "main" {
  name                = var.name
  location            = "francecentral"
  resource_group_name = "rg-${var.name}"
  dns_prefix          = var.name

  default_node_pool {
    name    = "system"
    vm_size = "Standard_D4s_v5"
  }

  identity {
    type = "SystemAssigned"
  }

  api_server_access_profile {
    authorized_ip_ranges = var.authorized_ip_ranges
  }
}
