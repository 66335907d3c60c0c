job "example" {
  group "app" {
    task "t" {
      resources {
        cpu = 100
      }
      resources {
        cpu = 200
      }
    }
  }
}
