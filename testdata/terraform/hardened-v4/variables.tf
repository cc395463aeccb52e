variable "environment" {
  type    = string
  default = "prod"
}

variable "nodes_subnet_id" {
  type = string
}

variable "admin_group_object_ids" {
  type = list(string)
}

variable "etcd_key_id" {
  type = string
}

variable "node_pools" {
  type = map(object({ vm_size = string }))
  default = {
    apps = { vm_size = "Standard_D8s_v5" }
  }
}
