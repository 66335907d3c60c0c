job "example" {
  group "app" {
    count = 1
