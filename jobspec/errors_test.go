package jobspec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// TestParseErrors checks that each bad file fails with the expected message
// at the expected file:line,col.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		file string
		pos  string // "file:line,col" where the error must point
		want string // text the message must contain
	}{
		{"unknown_attribute.hcl", "unknown_attribute.hcl:3,5", `An argument named "cuont" is not expected here. Did you mean "count"?`},
		{"unknown_block.hcl", "unknown_block.hcl:5,7", `Blocks of type "resource" are not expected here. Did you mean "resources"?`},
		{"malformed.hcl", "malformed.hcl:3,13", "Invalid expression"},
		{"unclosed.hcl", "unclosed.hcl:2,15", "Unclosed configuration block"},
		{"bad_duration.hcl", "bad_duration.hcl:5,22", `Invalid duration; Attribute "kill_timeout"`},
		{"bad_restart_interval.hcl", "bad_restart_interval.hcl:4,18", `missing unit in duration "30"`},
		{"missing_job.hcl", "missing_job.hcl:1,1", "Missing job block"},
		{"two_jobs.hcl", "two_jobs.hcl:4,1", "Duplicate job block; Only one job may be defined per file; another was defined at two_jobs.hcl:1,1"},
		{"job_no_label.hcl", "job_no_label.hcl:1,5", "Missing id for job"},
		{"count_string.hcl", "count_string.hcl:3,13", `Inappropriate value for attribute "count": a number is required`},
		{"count_fraction.hcl", "count_fraction.hcl:3,13", "a whole number is required, got 1.5"},
		{"variable_block.hcl", "variable_block.hcl:1,1", "variables and locals are not supported yet"},
		{"var_reference.hcl", "var_reference.hcl:2,21", "Variables not supported"},
		{"bare_reference.hcl", "bare_reference.hcl:2,12", "Variables not allowed"},
		{"function_call.hcl", "function_call.hcl:2,12", "Function calls not allowed"},
		{"duplicate_group.hcl", "duplicate_group.hcl:4,9", `Duplicate group "app"`},
		{"duplicate_resources.hcl", "duplicate_resources.hcl:7,7", "Duplicate resources block"},
		{"bad_operator.hcl", "bad_operator.hcl:4,17", `Operator "=~" is not supported`},
		{"conflicting_constraint.hcl", "conflicting_constraint.hcl:5,5", `"regexp" cannot be combined with "value"`},
		{"config_label.hcl", "config_label.hcl:5,15", "Blocks inside config may not have labels"},
		{"meta_list.hcl", "meta_list.hcl:3,12", `Inappropriate value for attribute "tags"`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", "bad", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			job, err := Parse(tt.file, src)
			if err == nil {
				t.Fatalf("Parse succeeded, want an error; job = %+v", job)
			}
			if job != nil {
				t.Errorf("Parse returned a job along with its error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.pos+"-") && !strings.HasPrefix(msg, tt.pos+":") {
				t.Errorf("error does not start at %s:\n%s", tt.pos, msg)
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error does not mention %q:\n%s", tt.want, msg)
			}
			var diags hcl.Diagnostics
			if !errors.As(err, &diags) || !diags.HasErrors() {
				t.Errorf("error does not unwrap to hcl.Diagnostics: %T", err)
			}
		})
	}
}

// TestParseReportsEveryError checks that independent mistakes are all
// reported, one per line, rather than only the first.
func TestParseReportsEveryError(t *testing.T) {
	src := `job "j" {
  priority = "high"
  group "g" {
    count = "many"
    task "t" {
      kill_timeout = "soon"
    }
  }
}
`
	_, err := Parse("multi.hcl", []byte(src))
	if err == nil {
		t.Fatal("Parse succeeded, want errors")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{"multi.hcl:2,14", "multi.hcl:4,13", "multi.hcl:6,22"}
	if len(lines) != len(want) {
		t.Fatalf("got %d error lines, want %d:\n%s", len(lines), len(want), err)
	}
	for i, pos := range want {
		if !strings.HasPrefix(lines[i], pos) {
			t.Errorf("line %d = %q, want it to start with %s", i, lines[i], pos)
		}
	}
}
