//go:build tools

package main

// The runner tests github.com/hashicorp/nomad/api (the official client and
// its test suite). These imports keep it and its test-only dependencies in
// go.mod and go.sum, so `go mod tidy` does not drop them.
import (
	_ "github.com/hashicorp/nomad/api"
	_ "github.com/shoenig/test/must"
	_ "github.com/shoenig/test/wait"
)
