# A data source reads a cluster managed elsewhere: not checked.
data "azurerm_kubernetes_cluster" "shared" {
  name                = "aks-shared"
  resource_group_name = "rg-shared"
}
