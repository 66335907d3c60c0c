job "example" {
  region = upper("eu")
}
