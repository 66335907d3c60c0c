package command

import (
	"strings"
	"testing"
)

func TestDispatcher(t *testing.T) {
	cases := []struct {
		name      string
		args      []string
		wantCode  int
		wantOut   string
		wantErr   string
		wantNoOut bool
	}{
		{"version", []string{"version"}, 0, "Drover v0.1.0\n", "", false},
		{"-version", []string{"-version"}, 0, "Drover v0.1.0\n", "", false},
		{"--version", []string{"--version"}, 0, "Drover v0.1.0\n", "", false},
		{"no args", nil, 1, "", "Usage: drover", true},
		{"unknown", []string{"bogus"}, 1, "", "Unknown command \"bogus\"", true},
		{"unknown sub", []string{"job", "bogus"}, 1, "", "Usage: drover job <subcommand>", true},
		{"group only", []string{"node"}, 1, "", "    eligibility", true},
		{"top help", []string{"-help"}, 0, "Available commands are:", "", false},
		{"command help", []string{"job", "run", "-h"}, 0, "Usage: drover job run [options] <path>", "", false},
		{"help after args", []string{"alloc", "logs", "abc", "-help"}, 0, "Usage: drover alloc logs", "", false},
		{"bad flag", []string{"job", "status", "-bogus"}, 1, "", "flag provided but not defined: -bogus", true},
		{"too many args", []string{"job", "status", "a", "b"}, 1, "", "For additional help try 'drover job status -help'", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI("http://127.0.0.1:1", "", tc.args...)
			if r.code != tc.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, tc.wantCode, r.err)
			}
			if !strings.Contains(r.out, tc.wantOut) {
				t.Errorf("stdout %q lacks %q", r.out, tc.wantOut)
			}
			if !strings.Contains(r.err, tc.wantErr) {
				t.Errorf("stderr %q lacks %q", r.err, tc.wantErr)
			}
			if tc.wantNoOut && r.out != "" {
				t.Errorf("stdout = %q, want nothing", r.out)
			}
		})
	}
}

func TestAddressPrecedence(t *testing.T) {
	f := newFakeAgent(t)
	f.json("GET /v1/jobs", nil)
	cases := []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"NOMAD_ADDR", map[string]string{"NOMAD_ADDR": f.srv.URL}, nil},
		{"DROVER_ADDR beats NOMAD_ADDR", map[string]string{"NOMAD_ADDR": "http://127.0.0.1:1", "DROVER_ADDR": f.srv.URL}, nil},
		{"-address beats env", map[string]string{"DROVER_ADDR": "http://127.0.0.1:1"}, []string{"-address", f.srv.URL}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb strings.Builder
			m := &Meta{UI: UI{Out: &out, Err: &errb}, Getenv: func(k string) string { return tc.env[k] }}
			code := RunWithMeta(m, append([]string{"job", "status"}, tc.args...))
			if code != 0 || out.String() != "No running jobs\n" {
				t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
			}
		})
	}
}
