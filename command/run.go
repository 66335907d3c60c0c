package command

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/drover-project/drover/agent"
)

// Version is the CLI's version: the agent's, since both are one binary.
const Version = agent.Version

// Command is one CLI command. Run gets the arguments after the command's
// name and returns the process exit code; Help is the full usage text and
// Synopsis a one-line summary for command lists.
type Command interface {
	Help() string
	Synopsis() string
	Run(args []string) int
}

// factory builds a command around its Meta.
type factory func(m *Meta) Command

// commands is the command table, keyed by the space-separated command path.
func commands() map[string]factory {
	return map[string]factory{
		"agent":                     func(m *Meta) Command { return &AgentCommand{Meta: m} },
		"alloc exec":                func(m *Meta) Command { return &allocExecCommand{m} },
		"alloc logs":                func(m *Meta) Command { return &allocLogsCommand{m} },
		"alloc restart":             func(m *Meta) Command { return &allocRestartCommand{m} },
		"alloc signal":              func(m *Meta) Command { return &allocSignalCommand{m} },
		"alloc status":              func(m *Meta) Command { return &allocStatusCommand{m} },
		"alloc stop":                func(m *Meta) Command { return &allocStopCommand{m} },
		"eval status":               func(m *Meta) Command { return &evalStatusCommand{m} },
		"job init":                  func(m *Meta) Command { return &jobInitCommand{m} },
		"job inspect":               func(m *Meta) Command { return &jobInspectCommand{m} },
		"job run":                   func(m *Meta) Command { return &jobRunCommand{m} },
		"job status":                func(m *Meta) Command { return &jobStatusCommand{m} },
		"job stop":                  func(m *Meta) Command { return &jobStopCommand{m} },
		"node drain":                func(m *Meta) Command { return &nodeDrainCommand{m} },
		"node eligibility":          func(m *Meta) Command { return &nodeEligibilityCommand{m} },
		"node status":               func(m *Meta) Command { return &nodeStatusCommand{m} },
		"operator autopilot health": func(m *Meta) Command { return &operatorAutopilotHealthCommand{m} },
		"operator raft list-peers":  func(m *Meta) Command { return &operatorRaftListPeersCommand{m} },
		"operator raft remove-peer": func(m *Meta) Command { return &operatorRaftRemovePeerCommand{m} },
		"operator snapshot inspect": func(m *Meta) Command { return &operatorSnapshotInspectCommand{m} },
		"operator snapshot restore": func(m *Meta) Command { return &operatorSnapshotRestoreCommand{m} },
		"operator snapshot save":    func(m *Meta) Command { return &operatorSnapshotSaveCommand{m} },
		"server join":               func(m *Meta) Command { return &serverJoinCommand{m} },
		"server members":            func(m *Meta) Command { return &serverMembersCommand{m} },
		"sim":                       func(m *Meta) Command { return &simCommand{m} },
		"status":                    func(m *Meta) Command { return &statusCommand{m} },
		"version":                   func(m *Meta) Command { return &versionCommand{m} },
	}
}

// Run runs the CLI with the process's environment: stdin, the environment
// variables, the wall clock, and a context cancelled by SIGINT or SIGTERM.
func Run(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return RunWithMeta(&Meta{
		Ctx: ctx, UI: UI{In: os.Stdin, Out: stdout, Err: stderr}, Getenv: os.Getenv, Now: time.Now,
	}, args)
}

// RunWithMeta runs the CLI with base's streams, context, environment and
// clock. Each command gets its own copy of base.
func RunWithMeta(base *Meta, args []string) int {
	base.fillDefaults()
	if len(args) == 0 {
		fmt.Fprint(base.UI.Err, usage(commands(), ""))
		return 1
	}
	switch args[0] {
	case "-v", "-version", "--version":
		args = []string{"version"}
	case "-h", "-help", "--help":
		fmt.Fprint(base.UI.Out, usage(commands(), ""))
		return 0
	}
	table := commands()
	name, rest := lookup(table, args)
	if name == "" {
		if sub := subcommands(table, args[0]); len(sub) > 0 {
			fmt.Fprint(base.UI.Err, usage(table, args[0]))
			return 1
		}
		fmt.Fprintf(base.UI.Err, "Unknown command %q\n\n", strings.Join(args, " "))
		fmt.Fprint(base.UI.Err, usage(table, ""))
		return 1
	}
	m := *base
	m.name = name
	cmd := table[name](&m)
	if wantsHelp(rest) {
		fmt.Fprintln(m.UI.Out, strings.TrimSpace(cmd.Help()))
		return 0
	}
	return cmd.Run(rest)
}

// lookup finds the longest command path that prefixes args.
func lookup(table map[string]factory, args []string) (string, []string) {
	for n := min(len(args), 3); n > 0; n-- {
		name := strings.Join(args[:n], " ")
		if _, ok := table[name]; ok {
			return name, args[n:]
		}
	}
	return "", nil
}

// wantsHelp reports whether args ask for help before any "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// subcommands lists the commands under parent ("" for top-level names).
func subcommands(table map[string]factory, parent string) []string {
	seen := map[string]bool{}
	var out []string
	for name := range table {
		var n string
		switch {
		case parent == "":
			n, _, _ = strings.Cut(name, " ")
		case strings.HasPrefix(name, parent+" "):
			n = name
		default:
			continue
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// usage lists the commands under parent with their synopses.
func usage(table map[string]factory, parent string) string {
	var b strings.Builder
	if parent == "" {
		b.WriteString("Usage: drover [-version] [-help] <command> [args]\n\nAvailable commands are:\n")
	} else {
		fmt.Fprintf(&b, "Usage: drover %s <subcommand> [options] [args]\n\nSubcommands:\n", parent)
	}
	names := subcommands(table, parent)
	width := 0
	for _, n := range names {
		width = max(width, len(strings.TrimPrefix(n, parent+" ")))
	}
	for _, n := range names {
		syn := ""
		if f, ok := table[n]; ok {
			syn = f(&Meta{}).Synopsis()
		} else {
			syn = groupSynopsis(n)
		}
		fmt.Fprintf(&b, "    %-*s    %s\n", width, strings.TrimPrefix(n, parent+" "), syn)
	}
	return b.String()
}

// groupSynopsis describes a command group such as "job".
func groupSynopsis(group string) string {
	switch group {
	case "alloc":
		return "Interact with allocations"
	case "eval":
		return "Interact with evaluations"
	case "job":
		return "Interact with jobs"
	case "node":
		return "Interact with nodes"
	case "operator":
		return "Provides cluster-level tools for operators"
	}
	return "Interact with " + group
}
