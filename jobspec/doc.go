// Package jobspec parses Nomad-style HCL job files into *structs.Job.
//
// The accepted blocks and attributes are a subset of Nomad's jobspec, with
// Nomad's names, so existing job files parse unchanged as long as they only
// use supported features. Anything unknown is an error rather than being
// silently dropped, and every error carries file:line,col positions.
//
// Parse does not fill in defaults (the server calls Job.Canonicalize) with
// two exceptions that only the parser can decide: Job.ID comes from the job
// block's label (and Name defaults to it), and a group without a count
// attribute gets Count 1, as in Nomad, because structs cannot tell an
// omitted count from an explicit zero.
//
// Strings may contain runtime interpolations such as "${attr.kernel.name}",
// "${meta.rack}" or "${NOMAD_TASK_NAME}". They are resolved on the client or
// by the scheduler, not here, so the parser keeps them as literal text.
// HCL input variables and locals are not supported yet.
package jobspec
