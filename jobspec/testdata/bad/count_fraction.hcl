job "example" {
  group "app" {
    count = 1.5
  }
}
