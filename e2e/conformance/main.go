package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"
)

// suitePkg is the package whose tests the runner executes.
const suitePkg = "github.com/hashicorp/nomad/api"

type options struct {
	repo         string
	report       string
	mustPass     string
	mustPassOnly bool
	run          string
	timeout      time.Duration
	parallel     int
	verbose      bool
}

func main() {
	var o options
	flag.StringVar(&o.repo, "repo", "../..", "drover's repository root (built with go build)")
	flag.StringVar(&o.report, "report", "REPORT.md", "report to write; empty writes none")
	flag.StringVar(&o.mustPass, "must-pass", "must-pass.txt", "tests that must pass, one a line")
	flag.BoolVar(&o.mustPassOnly, "must-pass-only", false, "run only the tests in -must-pass")
	flag.StringVar(&o.run, "run", "", "go test -run pattern (default: all, or the must-pass tests)")
	flag.DurationVar(&o.timeout, "timeout", 8*time.Minute, "go test -timeout: a hung test fails the run and is reported")
	flag.IntVar(&o.parallel, "parallel", 8, "go test -parallel: suite tests running at once, each with its own agent")
	flag.BoolVar(&o.verbose, "v", false, "print the suite's output")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		if code == 0 {
			code = 2
		}
	}
	os.Exit(code)
}

// run executes the suite and returns the exit code: 0 when every must-pass
// test passed, 1 when one did not.
func run(ctx context.Context, o options) (int, error) {
	mustPass, err := readMustPass(o.mustPass)
	if err != nil {
		return 2, err
	}
	pattern := o.run
	if o.mustPassOnly && pattern == "" {
		if len(mustPass) == 0 {
			fmt.Println("conformance: must-pass list is empty; nothing to run")
			return 0, nil
		}
		pattern = runPattern(mustPass)
	}

	tmp, err := os.MkdirTemp("", "drover-conformance-")
	if err != nil {
		return 2, err
	}
	defer os.RemoveAll(tmp)

	env, err := setupBin(ctx, o.repo, tmp)
	if err != nil {
		return 2, err
	}
	// Every agent the suite started is ended however the run ends.
	defer func() {
		if n, err := env.killAgents(5 * time.Second); err != nil {
			fmt.Fprintln(os.Stderr, "conformance: ending agents:", err)
		} else if n > 0 {
			fmt.Printf("conformance: ended %d agent process(es) the suite left running\n", n)
		}
	}()

	args := []string{"test", "-json", "-count=1",
		"-timeout", o.timeout.String(), "-parallel", fmt.Sprint(o.parallel)}
	if pattern != "" {
		args = append(args, "-run", pattern)
	}
	args = append(args, suitePkg)
	cmd := exec.CommandContext(ctx, goBin(), args...)
	cmd.Env = append(os.Environ(),
		"PATH="+env.binDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"TMPDIR="+env.tmpDir, // agents' data dirs, removed with tmp
		"NOMAD_ADDR=", "NOMAD_TOKEN=", "NOMAD_REGION=", "NOMAD_NAMESPACE=",
	)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 2, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr

	start := time.Now()
	shown := strings.Join(args, " ")
	if o.mustPassOnly && o.run == "" {
		shown = strings.Replace(shown, pattern, fmt.Sprintf("<the %d must-pass tests>", len(mustPass)), 1)
	}
	fmt.Printf("conformance: go %s\n", shown)
	if err := cmd.Start(); err != nil {
		return 2, fmt.Errorf("starting go test: %w", err)
	}
	var echo io.Writer
	if o.verbose {
		echo = os.Stdout
	}
	res, parseErr := parseEvents(stdout, echo)
	waitErr := cmd.Wait()
	elapsed := time.Since(start)
	if parseErr != nil {
		return 2, fmt.Errorf("reading go test output: %w", parseErr)
	}
	var exitErr *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &exitErr) {
		return 2, fmt.Errorf("go test: %w", waitErr)
	}
	if len(res.tests) == 0 {
		return 2, fmt.Errorf("go test ran no tests: %v\n%s%s", waitErr, stderr.String(), res.pkgOutput())
	}

	sum := res.summary()
	missing := res.mustPassFailures(mustPass)
	fmt.Printf("conformance: %s in %s\n", sum, elapsed.Round(time.Second))
	if o.report != "" && pattern == "" {
		if err := os.WriteFile(o.report, []byte(res.markdown(elapsed, mustPass)), 0o644); err != nil {
			return 2, err
		}
		fmt.Printf("conformance: wrote %s\n", o.report)
	}
	if len(missing) > 0 {
		fmt.Printf("conformance: %d must-pass test(s) did not pass:\n", len(missing))
		for _, m := range missing {
			fmt.Printf("  %s\n", m)
		}
		return 1, nil
	}
	fmt.Printf("conformance: all %d must-pass tests passed\n", len(mustPass))
	return 0, nil
}

// readMustPass reads test names, one a line; # starts a comment.
func readMustPass(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading must-pass list: %w", err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out, nil
}

// runPattern is a -run pattern selecting the top-level tests of names (a
// subtest's parent runs all its subtests).
func runPattern(names []string) string {
	seen := map[string]bool{}
	var tops []string
	for _, n := range names {
		top, _, _ := strings.Cut(n, "/")
		if !seen[top] {
			seen[top] = true
			tops = append(tops, regexp.QuoteMeta(top))
		}
	}
	sort.Strings(tops)
	return "^(" + strings.Join(tops, "|") + ")$"
}

// goBin is the go command: $GO (the Makefile passes its own), else go.
func goBin() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}
