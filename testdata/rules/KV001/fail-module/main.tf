variable "purge_protection" {
  type = bool
}

module "vault" {
  source           = "./modules/vault"
  name             = "kv-shop-prod"
  purge_protection = var.purge_protection
}
