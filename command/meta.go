package command

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/drover-project/drover/api"
)

// UI is where a command reads and writes.
type UI struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// Meta is what every command shares: its streams, a context cancelled on
// interrupt, the environment, the clock, and the connection flags
// -address, -token and -namespace (registered by FlagSet).
type Meta struct {
	// Ctx is cancelled when the user interrupts the command.
	Ctx context.Context
	// UI holds the command's streams.
	UI UI
	// Getenv reads environment variables (DROVER_ADDR, NOMAD_ADDR, ...).
	Getenv func(string) string
	// Now is the clock used for monitor timestamps and relative times.
	Now func() time.Time

	// name is the command path ("job run"), set by the dispatcher.
	name      string
	address   string
	token     string
	namespace string
	noColor   bool
}

// fillDefaults replaces unset fields with harmless defaults, so tests and
// callers may leave out what they do not need.
func (m *Meta) fillDefaults() {
	if m.Ctx == nil {
		m.Ctx = context.Background()
	}
	if m.UI.In == nil {
		m.UI.In = strings.NewReader("")
	}
	if m.UI.Out == nil {
		m.UI.Out = io.Discard
	}
	if m.UI.Err == nil {
		m.UI.Err = io.Discard
	}
	if m.Getenv == nil {
		m.Getenv = func(string) string { return "" }
	}
	if m.Now == nil {
		m.Now = time.Now
	}
}

// FlagSet returns a flag set with the shared connection flags. Parse
// errors are reported by parseFlags, so the set itself prints nothing.
func (m *Meta) FlagSet() *flag.FlagSet {
	fs := flag.NewFlagSet(m.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&m.address, "address", "", "")
	fs.StringVar(&m.token, "token", "", "")
	fs.StringVar(&m.namespace, "namespace", "", "")
	fs.BoolVar(&m.noColor, "no-color", false, "") // accepted for Nomad compatibility; output has no color
	return fs
}

// parseFlags parses args and, on error, prints it with a pointer to the
// command's help. It returns false when the command should exit 1.
func (m *Meta) parseFlags(fs *flag.FlagSet, args []string) bool {
	if err := fs.Parse(args); err != nil {
		m.Errorf("Error parsing flags: %v", err)
		m.Errorf("For additional help try 'drover %s -help'", m.name)
		return false
	}
	return true
}

// wrongArgs reports a wrong number of arguments and returns exit code 1.
func (m *Meta) wrongArgs(what string) int {
	m.Errorf("%s", what)
	m.Errorf("For additional help try 'drover %s -help'", m.name)
	return 1
}

// Client returns an API client configured from the flags and environment:
// -address beats DROVER_ADDR beats NOMAD_ADDR; likewise for the token and
// namespace.
func (m *Meta) Client() (*api.Client, error) {
	cfg := api.ConfigFromEnv(m.Getenv)
	if m.address != "" {
		cfg.Address = m.address
	}
	if m.token != "" {
		cfg.Token = m.token
	}
	if m.namespace != "" {
		cfg.Namespace = m.namespace
	}
	c, err := api.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("initializing client: %w", err)
	}
	return c, nil
}

// client is Client with the error reported; nil means exit 1.
func (m *Meta) client() *api.Client {
	c, err := m.Client()
	if err != nil {
		m.Errorf("Error %v", err)
		return nil
	}
	return c
}

// Outputf writes a line to stdout.
func (m *Meta) Outputf(format string, args ...interface{}) {
	fmt.Fprintf(m.UI.Out, format+"\n", args...)
}

// Errorf writes a line to stderr.
func (m *Meta) Errorf(format string, args ...interface{}) {
	fmt.Fprintf(m.UI.Err, format+"\n", args...)
}

// query returns read options bound to the command's context.
func (m *Meta) query(q *api.QueryOptions) *api.QueryOptions { return q.WithContext(m.Ctx) }

// write returns write options bound to the command's context.
func (m *Meta) write() *api.WriteOptions { return (&api.WriteOptions{}).WithContext(m.Ctx) }

// confirm asks a yes/no question on the UI; only "y" or "yes" is yes.
func (m *Meta) confirm(question string) bool {
	fmt.Fprintf(m.UI.Out, "%s [y/N]: ", question)
	line, err := bufio.NewReader(m.UI.In).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}

// readFileOrStdin reads path, or stdin for "-".
func (m *Meta) readFileOrStdin(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(m.UI.In)
	}
	return os.ReadFile(path)
}
