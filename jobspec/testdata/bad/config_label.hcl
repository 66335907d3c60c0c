job "example" {
  group "app" {
    task "t" {
      config {
        mount "data" {
          source = "/a"
        }
      }
    }
  }
}
