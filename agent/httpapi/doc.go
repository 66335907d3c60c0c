// Package httpapi serves Drover's Nomad-compatible HTTP API (/v1/...).
//
// Paths, JSON field names, status codes and headers follow Nomad's, so the
// official Nomad Go client and CLI work against a Drover agent. Routes are
// declared in one table (routes.go); handlers return (value, error) and one
// wrapper (wrap.go) writes JSON, the X-Nomad-* headers and status codes.
//
// Reads go straight to the server's state store, usually as blocking queries
// (?index=&wait=); writes go through the Server interface, which replicates
// them through Raft. Log streaming reads the files the local Client names.
//
// The Handler is safe for concurrent use; it keeps no state of its own beyond
// its Config.
package httpapi
