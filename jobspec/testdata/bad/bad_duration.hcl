job "example" {
  group "app" {
    task "t" {
      driver       = "raw_exec"
      kill_timeout = "5 minutes"
    }
  }
}
