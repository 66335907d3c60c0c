job "example" {
  region = attr.region
}
