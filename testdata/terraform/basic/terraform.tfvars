env = "prod"
pools = {
  user = { vm_size = "Standard_D4s_v5" }
  gpu  = { vm_size = "Standard_NC6", zones = ["1", "2"] }
}
