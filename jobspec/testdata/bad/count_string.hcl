job "example" {
  group "app" {
    count = "x"
  }
}
