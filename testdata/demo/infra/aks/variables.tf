variable "environment" {
  type    = string
  default = "prod"
}

variable "location" {
  type    = string
  default = "francecentral"
}

variable "resource_group_name" {
  type    = string
  default = "rg-shop-prod"
}

variable "admin_ip_ranges" {
  description = "Networks allowed to reach the API server."
  type        = list(string)
}

variable "etcd_key_id" {
  type = string
}
