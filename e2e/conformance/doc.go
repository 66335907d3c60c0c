// Command conformance runs the official Nomad API client's test suite
// (github.com/hashicorp/nomad/api, pinned in this module's go.mod) against
// Drover and writes REPORT.md.
//
// The suite fork/execs `nomad agent -config <file> [-dev]` found in PATH.
// The runner builds drover, puts a `nomad` wrapper first in PATH that records
// each agent's PID and execs drover through a symlink named nomad, runs
// `go test -json` on the suite from the module cache (read-only; nothing is
// copied or changed), and afterwards ends every agent still alive: the suite
// leaves agents running when their start-up wait fails.
//
// must-pass.txt lists tests that must pass; the runner exits 1 when one of
// them does not. With -must-pass-only it runs just those (what `make test`
// does); `make conformance` runs the whole suite and rewrites REPORT.md.
package main
