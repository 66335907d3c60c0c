job "example" {
  group "app" {
    count = 
  }
}
