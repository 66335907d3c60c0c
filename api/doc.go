// Package api is a small Go client for Drover's HTTP API. The API follows
// Nomad's /v1 paths, query parameters and JSON shapes, so this client also
// talks to a Nomad agent for the endpoints it covers.
//
// Request and response bodies are the types of package structs. Reads
// accept *QueryOptions (blocking queries with WaitIndex/WaitTime, prefix
// filters, a context) and return *QueryMeta with the X-Nomad-Index to pass
// as the next WaitIndex. Non-2xx answers become a *StatusError.
//
// A Client is safe for concurrent use.
package api
