job "example" {
  meta {
    tags = ["a", "b"]
  }
}
