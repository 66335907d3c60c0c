variable "image" {
  default = "x"
}

job "example" {
}
