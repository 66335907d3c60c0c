package taskenv

import (
	"reflect"
	"testing"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func testEnv(t *testing.T) (*Env, *structs.Allocation, *structs.Node) {
	t.Helper()
	node := mock.Node()
	node.NodeClass = "large"
	job := mock.Job()
	job.Region = "eu"
	job.Meta = map[string]string{"owner": "job", "tier": "job"}
	tg := job.TaskGroups[0]
	tg.Meta = map[string]string{"tier": "group"}
	task := tg.Tasks[0]
	task.Meta = map[string]string{"level": "task"}
	task.Env = map[string]string{
		"FOO":     "bar",
		"ADDR":    "${attr.unique.network.ip-address}:8080",
		"WHO":     "${NOMAD_TASK_NAME}@${node.datacenter}",
		"HOME":    "overridden",
		"MISSING": "${attr.nope}",
	}
	task.Resources.MemoryMaxMB = 512
	alloc := mock.Alloc(job, node, 3)
	alloc.AllocatedResources = structs.AllocatedResourcesFor(tg)
	e := Build(Params{
		Node: node, Region: "global", Alloc: alloc, Task: task,
		Dirs:    Dirs{AllocDir: "/a/alloc", TaskDir: "/a/web/local", SecretsDir: "/a/web/secrets"},
		HostEnv: map[string]string{"HOME": "/root", "PATH": "/usr/bin", "NOMAD_TASK_NAME": "host"},
	})
	return e, alloc, node
}

func TestBuild(t *testing.T) {
	e, alloc, node := testEnv(t)
	m := e.Map()
	want := map[string]string{
		"NOMAD_ALLOC_ID":         alloc.ID,
		"NOMAD_SHORT_ALLOC_ID":   alloc.ID[:8],
		"NOMAD_ALLOC_NAME":       alloc.Name,
		"NOMAD_ALLOC_INDEX":      "3",
		"NOMAD_TASK_NAME":        "server",
		"NOMAD_GROUP_NAME":       "web",
		"NOMAD_JOB_ID":           alloc.JobID,
		"NOMAD_JOB_NAME":         alloc.Job.Name,
		"NOMAD_NAMESPACE":        "default",
		"NOMAD_REGION":           "eu",
		"NOMAD_DC":               "dc1",
		"NOMAD_ALLOC_DIR":        "/a/alloc",
		"NOMAD_TASK_DIR":         "/a/web/local",
		"NOMAD_SECRETS_DIR":      "/a/web/secrets",
		"NOMAD_CPU_LIMIT":        "500",
		"NOMAD_MEMORY_LIMIT":     "256",
		"NOMAD_MEMORY_MAX_LIMIT": "512",
		"NOMAD_META_owner":       "job",
		"NOMAD_META_OWNER":       "job",
		"NOMAD_META_TIER":        "group",
		"NOMAD_META_LEVEL":       "task",
		"FOO":                    "bar",
		"ADDR":                   "127.0.0.1:8080",
		"WHO":                    "server@dc1",
		"HOME":                   "overridden",
		"PATH":                   "/usr/bin",
		"MISSING":                "${attr.nope}",
	}
	for k, v := range want {
		t.Run(k, func(t *testing.T) {
			if m[k] != v {
				t.Fatalf("%s = %q, want %q", k, m[k], v)
			}
		})
	}
	_ = node
}

func TestReplace(t *testing.T) {
	e, alloc, node := testEnv(t)
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{"${NOMAD_ALLOC_ID}", alloc.ID},
		{"${env.FOO}-${FOO}", "bar-bar"},
		{"${attr.cpu.arch}", "amd64"},
		{"${meta.rack}/${node.meta.rack}", "r1/r1"},
		{"${node.unique.id}", node.ID},
		{"${node.unique.name}", node.Name},
		{"${node.class} ${node.pool} ${node.region}", "large default eu"},
		{"${ NOMAD_TASK_NAME }", "server"},
		{"${unknown.key} and ${env.NOPE}", "${unknown.key} and ${env.NOPE}"},
		{"unterminated ${FOO", "unterminated ${FOO"},
		{"$FOO {FOO}", "$FOO {FOO}"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := e.Replace(tc.in); got != tc.want {
				t.Fatalf("Replace(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestReplaceConfig(t *testing.T) {
	e, _, _ := testEnv(t)
	in := map[string]interface{}{
		"command": "${NOMAD_TASK_DIR}/run",
		"args":    []interface{}{"--dc", "${node.datacenter}", 3},
		"list":    []string{"${FOO}"},
		"nested":  map[string]interface{}{"k": "${FOO}"},
		"blocks":  []map[string]interface{}{{"k": "${FOO}"}},
		"n":       5,
	}
	got := e.ReplaceConfig(in)
	want := map[string]interface{}{
		"command": "/a/web/local/run",
		"args":    []interface{}{"--dc", "dc1", 3},
		"list":    []string{"bar"},
		"nested":  map[string]interface{}{"k": "bar"},
		"blocks":  []map[string]interface{}{{"k": "bar"}},
		"n":       5,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}
	if in["command"] != "${NOMAD_TASK_DIR}/run" {
		t.Fatal("ReplaceConfig modified its input")
	}
}

func FuzzReplace(f *testing.F) {
	f.Add("${NOMAD_ALLOC_ID} ${attr.x")
	f.Add("${}${${}}")
	node := mock.Node()
	e := Build(Params{Node: node, HostEnv: map[string]string{"A": "${A}"}})
	f.Fuzz(func(t *testing.T, s string) {
		_ = e.Replace(s)
	})
}
