package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Test    string
	Output  string
	Elapsed float64
}

// Outcomes of a test. hung is a test that started but never ended: the
// -timeout panic (or a crash) ended the test binary first.
const (
	pass = "pass"
	fail = "fail"
	skip = "skip"
	hung = "hung"
)

// testResult is what the runner knows of one test or subtest.
type testResult struct {
	name    string
	outcome string
	elapsed float64
	output  []string
}

// results gathers a run's tests by full name ("TestA", "TestA/sub").
type results struct {
	tests map[string]*testResult
	order []string
	pkg   []string // output not attributed to a test (build errors, panics)
}

// parseEvents reads a go test -json stream. Output lines are echoed to echo
// when it is not nil.
func parseEvents(r io.Reader, echo io.Writer) (*results, error) {
	res := &results{tests: map[string]*testResult{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		var ev event
		if err := json.Unmarshal(line, &ev); err != nil {
			// go test prints some things (build failures) as plain text.
			res.pkg = append(res.pkg, string(line))
			continue
		}
		if echo != nil && ev.Action == "output" {
			_, _ = io.WriteString(echo, ev.Output)
		}
		if ev.Test == "" {
			if ev.Action == "output" {
				res.pkg = append(res.pkg, strings.TrimRight(ev.Output, "\n"))
			}
			continue
		}
		t := res.tests[ev.Test]
		if t == nil {
			t = &testResult{name: ev.Test, outcome: hung}
			res.tests[ev.Test] = t
			res.order = append(res.order, ev.Test)
		}
		switch ev.Action {
		case "output":
			t.output = append(t.output, strings.TrimRight(ev.Output, "\n"))
		case pass, fail, skip:
			t.outcome = ev.Action
			t.elapsed = ev.Elapsed
		}
	}
	return res, sc.Err()
}

func (r *results) pkgOutput() string { return strings.Join(r.pkg, "\n") }

// topLevel returns the top-level tests in name order.
func (r *results) topLevel() []*testResult {
	var out []*testResult
	for _, name := range r.order {
		if !strings.Contains(name, "/") {
			out = append(out, r.tests[name])
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// counts tallies top-level tests by outcome.
func (r *results) counts() map[string]int {
	c := map[string]int{}
	for _, t := range r.topLevel() {
		c[t.outcome]++
	}
	return c
}

func (r *results) summary() string {
	c := r.counts()
	s := fmt.Sprintf("%d passed, %d failed, %d skipped", c[pass], c[fail], c[skip])
	if c[hung] > 0 {
		s += fmt.Sprintf(", %d hung (killed by -timeout)", c[hung])
	}
	return s + fmt.Sprintf(" of %d tests", len(r.topLevel()))
}

// mustPassFailures lists the must-pass tests that did not pass, with how.
func (r *results) mustPassFailures(names []string) []string {
	var out []string
	for _, n := range names {
		t := r.tests[n]
		switch {
		case t == nil:
			out = append(out, n+": did not run")
		case t.outcome != pass:
			out = append(out, fmt.Sprintf("%s: %s: %s", n, t.outcome, r.reason(t)))
		}
	}
	return out
}

// locLine matches a test log line: "    file.go:123: message".
var locLine = regexp.MustCompile(`^\s*([\w.-]+\.go:\d+): (.*)$`)

// reason is the first assertion that failed in t or its subtests (or the
// skip message), with the detail line the assertion library prints below it
// ("↪ error: ..."). A hung test reports the timeout.
func (r *results) reason(t *testResult) string {
	if t.outcome == hung {
		for _, l := range r.pkg {
			if strings.HasPrefix(l, "panic: test timed out") {
				return "hung: " + l
			}
		}
		return "never finished (the test binary exited first; see the package output)"
	}
	lines := t.output
	if t.outcome == fail {
		// A parent's own output rarely says why: look in failed subtests too.
		for _, name := range r.order {
			if sub := r.tests[name]; strings.HasPrefix(name, t.name+"/") && sub.outcome != pass {
				lines = append(lines, sub.output...)
			}
		}
	}
	for i, l := range lines {
		m := locLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		// must.Wait and friends print the caller's line with an empty
		// message, then the helper's line, then "↪ error: ...".
		msg := m[1] + ":"
		if text := strings.TrimSpace(m[2]); text != "" {
			msg += " " + text
		}
		for _, next := range lines[i+1 : min(i+4, len(lines))] {
			n := strings.TrimSpace(next)
			if strings.HasPrefix(n, "↪") {
				msg += " " + n
				break
			}
			if mm := locLine.FindStringSubmatch(next); mm != nil && strings.TrimSpace(mm[2]) != "" {
				msg += " " + strings.TrimSpace(mm[2])
				continue
			}
			break
		}
		return msg
	}
	if t.outcome == fail {
		for _, l := range lines {
			if s := strings.TrimSpace(l); s != "" && !strings.HasPrefix(s, "=== ") && !strings.HasPrefix(s, "--- ") {
				return s
			}
		}
	}
	return ""
}

// markdown renders REPORT.md: totals on the first line, then one row per
// top-level test.
func (r *results) markdown(elapsed time.Duration, mustPass []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Conformance: %s (%s, %s)\n\n", r.summary(), suitePkg, elapsed.Round(time.Second))
	failing := r.mustPassFailures(mustPass)
	fmt.Fprintf(&b, "Must-pass: %d of %d listed tests pass (must-pass.txt).\n\n",
		len(mustPass)-len(failing), len(mustPass))
	b.WriteString("Generated by `make conformance` (e2e/conformance). One row per top-level test;\n")
	b.WriteString("the reason is the first failing assertion (or the skip message).\n\n")
	b.WriteString("| test | result | seconds | reason |\n|---|---|---|---|\n")
	for _, t := range r.topLevel() {
		fmt.Fprintf(&b, "| %s | %s | %.1f | %s |\n", t.name, t.outcome, t.elapsed, cell(r.reason(t)))
	}
	return b.String()
}

// cell makes s safe for a one-line Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 240 {
		s = string(r[:237]) + "..."
	}
	return s
}
