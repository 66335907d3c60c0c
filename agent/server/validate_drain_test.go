package server

import (
	"strings"
	"testing"
	"time"

	"github.com/drover-project/drover/structs"
	"github.com/drover-project/drover/structs/mock"
)

func TestValidateMigrateAndDisconnect(t *testing.T) {
	d := func(v time.Duration) *time.Duration { return &v }
	cases := []struct {
		name   string
		mutate func(tg *structs.TaskGroup)
		want   string // "" means valid
	}{
		{"defaults", func(tg *structs.TaskGroup) {}, ""},
		{"good disconnect", func(tg *structs.TaskGroup) {
			tg.Disconnect = &structs.DisconnectStrategy{LostAfter: time.Minute, Reconcile: structs.ReconcileLongestRunning}
		}, ""},
		{"negative max_parallel", func(tg *structs.TaskGroup) { tg.Migrate.MaxParallel = -1 }, "max_parallel must not be negative"},
		{"bad health_check", func(tg *structs.TaskGroup) { tg.Migrate.HealthCheck = "pings" }, `health_check "pings" is invalid`},
		{"min healthy over deadline", func(tg *structs.TaskGroup) { tg.Migrate.MinHealthyTime = time.Hour }, "must be less than healthy_deadline"},
		{"bad reconcile", func(tg *structs.TaskGroup) {
			tg.Disconnect = &structs.DisconnectStrategy{Reconcile: "newest"}
		}, `reconcile "newest" is invalid`},
		{"negative lost_after", func(tg *structs.TaskGroup) {
			tg.Disconnect = &structs.DisconnectStrategy{LostAfter: -time.Second}
		}, "lost_after must not be negative"},
		{"both lost_after and stop_on_client_after", func(tg *structs.TaskGroup) {
			tg.Disconnect = &structs.DisconnectStrategy{LostAfter: time.Minute, StopOnClientAfter: d(time.Minute)}
		}, "cannot both be set"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			job := mock.Job()
			tc.mutate(job.TaskGroups[0])
			err := validateJob(job, nil)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
