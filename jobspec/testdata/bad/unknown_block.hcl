job "example" {
  group "app" {
    task "t" {
      driver = "raw_exec"
      resource {
        cpu = 100
      }
    }
  }
}
