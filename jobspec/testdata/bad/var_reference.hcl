job "example" {
  datacenters = ["${var.dc}"]
}
