job "example" {
  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
    regexp    = "^lin"
  }
}
