package jobspec

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
)

func parseFile(t *testing.T, path string) *structs.Job {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	job, err := Parse(filepath.Base(path), src)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return job
}

// assertEqual compares with reflect.DeepEqual and prints both sides as JSON,
// which is far easier to diff by eye than %#v of nested pointers.
func assertEqual(t *testing.T, got, want interface{}) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	g, _ := json.MarshalIndent(got, "", "  ")
	w, _ := json.MarshalIndent(want, "", "  ")
	t.Errorf("mismatch\n got: %s\nwant: %s", g, w)
}

func TestParseFull(t *testing.T) {
	got := parseFile(t, "testdata/full.hcl")
	service := structs.DefaultRestartPolicy(structs.JobTypeService)
	want := &structs.Job{
		ID:          "web-app",
		Name:        "Web App",
		Type:        "service",
		Priority:    70,
		Datacenters: []string{"dc1", "dc2"},
		NodePool:    "edge",
		Region:      "eu",
		Namespace:   "prod",
		AllAtOnce:   true,
		Meta:        map[string]string{"owner": "team-a", "version": "3", "canary": "false"},
		Constraints: []*structs.Constraint{
			{LTarget: "${attr.kernel.name}", Operand: "=", RTarget: "linux"},
			{Operand: "distinct_hosts", RTarget: "true"},
		},
		TaskGroups: []*structs.TaskGroup{
			{
				Name:  "frontend",
				Count: 3,
				Constraints: []*structs.Constraint{
					{LTarget: "${meta.rack}", Operand: "!=", RTarget: "r1"},
					{LTarget: "${meta.rack}", Operand: "distinct_property", RTarget: "2"},
				},
				Meta: map[string]string{"tier": "front"},
				RestartPolicy: &structs.RestartPolicy{
					Attempts: 5, Interval: 90 * time.Minute, Delay: 20 * time.Second, Mode: "delay",
				},
				Tasks: []*structs.Task{
					{
						Name:        "server",
						Driver:      "raw_exec",
						User:        "nobody",
						KillTimeout: 45 * time.Second,
						KillSignal:  "SIGINT",
						Leader:      true,
						Config: map[string]interface{}{
							"command": "/usr/bin/server",
							"args":    []interface{}{"--name", "${NOMAD_TASK_NAME}", "--dir=${NOMAD_TASK_DIR}/data", "$HOME"},
							"port":    8080,
							"ratio":   0.5,
							"debug":   false,
							"labels":  map[string]interface{}{"app": "web", "tier.name": "front"},
							"script":  "echo ${node.unique.id}\necho ${literal}\n",
							"mount": []interface{}{
								map[string]interface{}{"source": "/a", "target": "/b"},
								map[string]interface{}{"source": "/c", "target": "/d", "readonly": true},
							},
							"logging": map[string]interface{}{"type": "syslog"},
						},
						Env: map[string]string{
							"PORT":     "8080",
							"DEBUG":    "true",
							"NODE_DC":  "${node.datacenter}",
							"GREETING": "hi ${NOMAD_META_owner}!",
						},
						Resources: &structs.Resources{CPU: 500, MemoryMB: 256, MemoryMaxMB: 512, Cores: 2},
						Meta:      map[string]string{"role": "server"},
						Constraints: []*structs.Constraint{
							{LTarget: "${attr.os.version}", Operand: "version", RTarget: ">= 20.04"},
							{LTarget: "${attr.cpu.arch}", Operand: "regexp", RTarget: "^(amd64|arm64)$"},
						},
						LogConfig: &structs.LogConfig{MaxFiles: 4, MaxFileSizeMB: 20},
					},
					{
						Name:   "sidecar",
						Driver: "raw_exec",
						Config: map[string]interface{}{"command": "/bin/sleep", "args": []interface{}{"3600"}},
					},
				},
			},
			{
				Name:  "batch-like",
				Count: 1,
				RestartPolicy: &structs.RestartPolicy{
					Attempts: 1, Interval: service.Interval, Delay: service.Delay, Mode: service.Mode,
				},
				Tasks: []*structs.Task{{
					Name:      "once",
					Driver:    "raw_exec",
					Config:    map[string]interface{}{"command": "true"},
					LogConfig: &structs.LogConfig{MaxFiles: 2, MaxFileSizeMB: structs.DefaultLogConfig().MaxFileSizeMB},
				}},
			},
		},
	}
	assertEqual(t, got, want)
}

func TestParseMinimalLeavesDefaultsToCanonicalize(t *testing.T) {
	got := parseFile(t, "testdata/minimal.hcl")
	want := &structs.Job{
		ID:   "min",
		Name: "min",
		TaskGroups: []*structs.TaskGroup{{
			Name:  "g",
			Count: 1,
			Tasks: []*structs.Task{{Name: "t", Driver: "raw_exec"}},
		}},
	}
	assertEqual(t, got, want)
}

func TestParseRestartDefaultsFollowJobType(t *testing.T) {
	tests := []struct {
		jobType string
		want    *structs.RestartPolicy
	}{
		{"batch", structs.DefaultRestartPolicy(structs.JobTypeBatch)},
		{"service", structs.DefaultRestartPolicy(structs.JobTypeService)},
		{"", structs.DefaultRestartPolicy(structs.JobTypeService)},
	}
	for _, tt := range tests {
		t.Run("type="+tt.jobType, func(t *testing.T) {
			typeAttr := ""
			if tt.jobType != "" {
				typeAttr = `type = "` + tt.jobType + `"`
			}
			src := `job "j" {
  ` + typeAttr + `
  group "g" {
    restart {
      mode = "delay"
    }
  }
}`
			job, err := Parse("j.hcl", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			want := *tt.want
			want.Mode = "delay"
			assertEqual(t, job.TaskGroups[0].RestartPolicy, &want)
		})
	}
}

func TestParseExample(t *testing.T) {
	job, err := Parse("example.hcl", []byte(Example))
	if err != nil {
		t.Fatalf("Example does not parse: %v", err)
	}
	want := &structs.Job{
		ID:          "example",
		Name:        "example",
		Type:        "service",
		Datacenters: []string{"*"},
		TaskGroups: []*structs.TaskGroup{{
			Name:  "app",
			Count: 1,
			Tasks: []*structs.Task{{
				Name:   "hello",
				Driver: "raw_exec",
				Config: map[string]interface{}{
					"command": "/bin/sh",
					"args": []interface{}{
						"-c",
						`echo "hello from $NOMAD_TASK_NAME on $(hostname)"; while true; do date; sleep 5; done`,
					},
				},
				Resources: &structs.Resources{CPU: 100, MemoryMB: 64},
			}},
		}},
	}
	assertEqual(t, job, want)
}
