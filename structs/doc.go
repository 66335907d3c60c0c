// Package structs holds Drover's data model: jobs, nodes, allocations,
// evaluations and plans, plus the request and response types that travel
// through Raft and the HTTP API.
//
// Field names follow Nomad's so that JSON on the wire matches Nomad's HTTP
// API without tags. Objects handed out by the state store are shared and
// must never be modified in place: Copy first.
package structs
