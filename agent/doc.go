// Package agent runs one Drover process: the server role, the client role
// or both (-dev), and the HTTP API in front of them. It reads Nomad's agent
// configuration format (HCL or JSON) and wires the roles together.
package agent
