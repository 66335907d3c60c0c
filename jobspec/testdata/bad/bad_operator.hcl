job "example" {
  constraint {
    attribute = "${attr.kernel.name}"
    operator  = "=~"
    value     = "linux"
  }
}
