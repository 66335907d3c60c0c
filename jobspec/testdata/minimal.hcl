job "min" {
  group "g" {
    task "t" {
      driver = "raw_exec"
    }
  }
}
