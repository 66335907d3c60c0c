package jobspec

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
)

func groupJob(body string) string {
	return `job "j" {
  group "g" {
` + body + `
    task "t" {
      driver = "raw_exec"
    }
  }
}
`
}

func TestParseMigrateAndDisconnect(t *testing.T) {
	yes, stopAfter := true, 90*time.Second
	cases := []struct {
		name           string
		body           string
		wantMigrate    *structs.MigrateStrategy
		wantDisconnect *structs.DisconnectStrategy
	}{
		{"none (defaults come with Canonicalize)", "", nil, nil},
		{"migrate", `migrate {
  max_parallel     = 2
  min_healthy_time = "5s"
}`, &structs.MigrateStrategy{MaxParallel: 2, HealthCheck: "checks", MinHealthyTime: 5 * time.Second, HealthyDeadline: 5 * time.Minute}, nil},
		{"disconnect defaults", `disconnect {
  lost_after = "5m"
}`, nil, &structs.DisconnectStrategy{LostAfter: 5 * time.Minute, Reconcile: "best_score"}},
		{"disconnect full", `disconnect {
  stop_on_client_after = "90s"
  replace              = true
  reconcile            = "keep_original"
}`, nil, &structs.DisconnectStrategy{Replace: &yes, Reconcile: "keep_original", StopOnClientAfter: &stopAfter}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			job, err := Parse("j.hcl", []byte(groupJob(tc.body)))
			if err != nil {
				t.Fatal(err)
			}
			tg := job.TaskGroups[0]
			if !reflect.DeepEqual(tg.Migrate, tc.wantMigrate) {
				t.Errorf("migrate %+v, want %+v", tg.Migrate, tc.wantMigrate)
			}
			if !reflect.DeepEqual(tg.Disconnect, tc.wantDisconnect) {
				t.Errorf("disconnect %+v, want %+v", tg.Disconnect, tc.wantDisconnect)
			}
		})
	}
}

func TestParseMigrateErrors(t *testing.T) {
	cases := map[string]string{
		"unknown attribute":  `migrate { parallel = 2 }`,
		"bad duration":       `migrate { min_healthy_time = "soon" }`,
		"two blocks":         "disconnect { lost_after = \"1m\" }\ndisconnect { lost_after = \"2m\" }",
		"replace not a bool": `disconnect { replace = "perhaps" }`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("j.hcl", []byte(groupJob(body)))
			if err == nil || !strings.Contains(err.Error(), "j.hcl:") {
				t.Fatalf("want a positioned error, got %v", err)
			}
		})
	}
}
