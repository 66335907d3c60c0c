// Package supervisor keeps tasks alive, and their exits known, across
// restarts of the client agent.
//
// The client does not start a raw_exec or exec task in its own process:
// Driver, a driver.Driver decorator, re-executes the drover binary as a
// small per-task supervisor (argv[1] is a private marker, see
// IsSupervisorProcess) in its own session. The supervisor builds the real
// driver in-process from a Builder, starts the task through it, so the
// task's process (or container init) is the supervisor's child, and then:
//
//   - records its pid and, once the task ends, the exit result (code,
//     signal, OOM kill) atomically in state.json in its directory;
//   - serves kill, wait and stats requests on a unix socket there;
//   - exits once the task has ended and the result is on disk.
//
// The client only ever holds supervisor handles. Their HandleState is the
// supervisor's directory; a restarted client hands it to RecoverTask and
// gets the task back without starting anything, including the exit of a
// task that ended while no client was running. The directory of a task is
// derived from its allocation and name, so a client killed between
// starting a task and recording its handle finds the running supervisor on
// its next StartTask and adopts it instead of starting the task twice.
//
// Why a decorator and not a recovery method per driver: libcontainer can
// load and signal a running container from another process but only the
// container's parent learns its exit code, and a raw_exec process's exit
// status is lost the same way once its parent dies. One supervisor layer
// gives both drivers (and any later one) recovery without changing the
// driver.Driver interface.
//
// Layout of a supervisor directory (0700):
//
//	spec.msgpack    what to start: driver, driver config, task config (0600)
//	state.json      supervisor pid, start time, and the exit once known
//	sock            control socket
//	supervisor.log  the supervisor's own log (the task logs where it is told)
package supervisor
