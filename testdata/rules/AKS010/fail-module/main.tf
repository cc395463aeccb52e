module "aks" {
  source               = "./modules/aks"
  name                 = "aks-shop-prod"
  authorized_ip_ranges = ["203.0.113.0/28", "0.0.0.0/0"]
}
