// Package command is Drover's command line interface. Command names, flags,
// output layout and exit codes follow Nomad's CLI, so scripts written for
// `nomad` work against `drover`.
//
// Run dispatches os.Args to a Command found in the command table; every
// command gets its own Meta (streams, context, environment, clock and the
// shared -address/-token/-namespace flags) and lives in its own file.
// Exit codes: 0 success, 1 any error (reported on stderr), 2 when a job was
// accepted but the scheduler could not place all of it.
package command
