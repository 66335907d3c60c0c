job "example" {
  group "app" {
    cuont = 3
  }
}
