package command

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-project/drover/jobspec"
	"github.com/drover-project/drover/structs"
)

func TestJobInit(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	r := runCLI("", "", "job", "init")
	if r.code != 0 || r.out != "Example job file written to example.hcl\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.out, r.err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "example.hcl"))
	if err != nil || string(got) != jobspec.Example {
		t.Fatalf("example.hcl differs from jobspec.Example (err %v)", err)
	}
	r = runCLI("", "", "job", "init")
	if r.code != 1 || r.err != "Job 'example.hcl' already exists\n" {
		t.Errorf("second init: exit %d, stderr %q", r.code, r.err)
	}

	r = runCLI("", "", "job", "init", "-short", "short.hcl")
	if r.code != 0 {
		t.Fatalf("-short: exit %d: %s", r.code, r.err)
	}
	short, _ := os.ReadFile(filepath.Join(dir, "short.hcl"))
	if strings.Contains(string(short), "#") {
		t.Errorf("-short kept comments:\n%s", short)
	}
	job, err := jobspec.Parse("short.hcl", short)
	if err != nil || job.ID != "example" {
		t.Errorf("-short output does not parse: %v", err)
	}
}

func TestJobInspect(t *testing.T) {
	f := newFakeAgent(t)
	serveJob(f, 0)
	r := f.run("job", "inspect", "example")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	var got struct{ Job *structs.Job }
	if err := json.Unmarshal([]byte(r.out), &got); err != nil || got.Job == nil || got.Job.ID != jobID {
		t.Fatalf("output is not {\"Job\": ...}: %v\n%s", err, r.out)
	}
	// What inspect prints, run accepts back.
	job, err := parseJSONJob([]byte(r.out))
	if err != nil || job.TaskGroups[0].Tasks[0].Name != "hello" {
		t.Errorf("round trip: %v", err)
	}
}
