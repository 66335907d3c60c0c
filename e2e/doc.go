// Package e2e holds end-to-end tests: they build the drover binary, start
// real agents on free ports and drive them through the CLI and HTTP API.
package e2e
