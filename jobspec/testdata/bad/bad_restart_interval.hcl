job "example" {
  group "app" {
    restart {
      interval = 30
    }
  }
}
