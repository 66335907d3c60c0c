package main

import (
	"strings"
	"testing"
	"time"
)

// stream is a go test -json transcript: a pass, a failing parent whose
// subtest holds the assertion, a skip, and a test still running when the
// -timeout panic ended the binary.
const stream = `{"Action":"run","Test":"TestA"}
{"Action":"output","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"pass","Test":"TestA","Elapsed":1.5}
{"Action":"run","Test":"TestB"}
{"Action":"run","Test":"TestB/sub"}
{"Action":"output","Test":"TestB/sub","Output":"    jobs_test.go:42: expected no error\n"}
{"Action":"output","Test":"TestB/sub","Output":"        ↪ error: Unexpected response code: 404 (not | found)\n"}
{"Action":"fail","Test":"TestB/sub","Elapsed":0.2}
{"Action":"fail","Test":"TestB","Elapsed":0.3}
{"Action":"run","Test":"TestC"}
{"Action":"output","Test":"TestC","Output":"    api_test.go:9: nomad not found, skipping\n"}
{"Action":"skip","Test":"TestC","Elapsed":0}
{"Action":"run","Test":"TestE"}
{"Action":"output","Test":"TestE","Output":"    nodes_test.go:47: \n"}
{"Action":"output","Test":"TestE","Output":"        nodes_test.go:37: expected condition to pass within wait context\n"}
{"Action":"output","Test":"TestE","Output":"        ↪ error: wait: timeout exceeded\n"}
{"Action":"fail","Test":"TestE","Elapsed":11}
{"Action":"run","Test":"TestD"}
{"Action":"output","Output":"panic: test timed out after 1m0s\n"}
{"Action":"fail","Elapsed":60}
`

func TestParseAndReport(t *testing.T) {
	res, err := parseEvents(strings.NewReader(stream), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"TestA": pass, "TestB": fail, "TestB/sub": fail, "TestC": skip, "TestD": hung, "TestE": fail}
	for name, outcome := range want {
		if got := res.tests[name]; got == nil || got.outcome != outcome {
			t.Errorf("%s: got %+v, want %s", name, got, outcome)
		}
	}
	if got := res.summary(); got != "1 passed, 2 failed, 1 skipped, 1 hung (killed by -timeout) of 5 tests" {
		t.Errorf("summary %q", got)
	}
	if got := res.reason(res.tests["TestB"]); got != "jobs_test.go:42: expected no error ↪ error: Unexpected response code: 404 (not | found)" {
		t.Errorf("reason %q", got)
	}
	if got := res.reason(res.tests["TestE"]); got != "nodes_test.go:47: expected condition to pass within wait context ↪ error: wait: timeout exceeded" {
		t.Errorf("wait reason %q", got)
	}
	if got := res.reason(res.tests["TestD"]); !strings.Contains(got, "timed out after 1m0s") {
		t.Errorf("hung reason %q", got)
	}

	failing := res.mustPassFailures([]string{"TestA", "TestB", "TestF"})
	if len(failing) != 2 || !strings.HasPrefix(failing[0], "TestB: fail") || failing[1] != "TestF: did not run" {
		t.Errorf("must-pass failures %q", failing)
	}

	md := res.markdown(90*time.Second, []string{"TestA"})
	first, _, _ := strings.Cut(md, "\n")
	if !strings.HasPrefix(first, "# Conformance: 1 passed, 2 failed, 1 skipped") || !strings.Contains(first, "1m30s") {
		t.Errorf("first line %q", first)
	}
	for _, w := range []string{"Must-pass: 1 of 1", `| TestB | fail | 0.3 | jobs_test.go:42: expected no error ↪ error: Unexpected response code: 404 (not \| found) |`, "| TestD | hung |"} {
		if !strings.Contains(md, w) {
			t.Errorf("report lacks %q:\n%s", w, md)
		}
	}
}

func TestRunPattern(t *testing.T) {
	got := runPattern([]string{"TestJobs_Register", "TestAgent_Self/sub", "TestAgent_Self", "TestA.B"})
	if want := `^(TestA\.B|TestAgent_Self|TestJobs_Register)$`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
