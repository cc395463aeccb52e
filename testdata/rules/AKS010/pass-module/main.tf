module "aks" {
  source               = "./modules/aks"
  name                 = "aks-shop-prod"
  authorized_ip_ranges = ["203.0.113.0/28", "198.51.100.17/32"]
}
