job "example" {
  group "app" {
  }
  group "app" {
  }
}
