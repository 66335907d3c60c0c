package client

import (
	"testing"
	"time"

	"github.com/drover-project/drover/driver"
	"github.com/drover-project/drover/structs"
)

func TestRestartTracker(t *testing.T) {
	fail := &driver.ExitResult{ExitCode: 1}
	ok := &driver.ExitResult{}
	policy := func(attempts int, mode string) *structs.RestartPolicy {
		return &structs.RestartPolicy{Attempts: attempts, Interval: time.Minute, Delay: time.Second, Mode: mode}
	}
	type step struct {
		at      time.Duration // since the start
		res     *driver.ExitResult
		restart bool
		delay   time.Duration
		failed  bool
		reason  string
	}
	cases := []struct {
		name    string
		policy  *structs.RestartPolicy
		jobType string
		steps   []step
	}{
		{"batch success is final", policy(2, "fail"), structs.JobTypeBatch, []step{
			{0, ok, false, 0, false, ""},
		}},
		{"service success restarts", policy(1, "fail"), structs.JobTypeService, []step{
			{0, ok, true, time.Second, false, reasonWithinPolicy},
			{time.Second, ok, false, 0, true, `Exceeded allowed attempts 1 in interval 1m0s and mode is "fail"`},
		}},
		{"start failure counts", policy(1, "fail"), structs.JobTypeBatch, []step{
			{0, nil, true, time.Second, false, reasonWithinPolicy},
			{time.Second, nil, false, 0, true, `Exceeded allowed attempts 1 in interval 1m0s and mode is "fail"`},
		}},
		{"window resets after interval", policy(1, "fail"), structs.JobTypeBatch, []step{
			{0, fail, true, time.Second, false, reasonWithinPolicy},
			{2 * time.Minute, fail, true, time.Second, false, reasonWithinPolicy},
			{2*time.Minute + time.Second, fail, false, 0, true, `Exceeded allowed attempts 1 in interval 1m0s and mode is "fail"`},
		}},
		{"delay mode waits out the interval", policy(1, "delay"), structs.JobTypeService, []step{
			{0, fail, true, time.Second, false, reasonWithinPolicy},
			{10 * time.Second, fail, true, 50 * time.Second, false, reasonDelay},
			{time.Minute, fail, true, time.Second, false, reasonWithinPolicy},
		}},
		{"no attempts", policy(0, "fail"), structs.JobTypeBatch, []step{
			{0, fail, false, 0, true, reasonNoRestarts},
		}},
		{"nil policy uses defaults", nil, structs.JobTypeService, []step{
			{0, fail, true, 15 * time.Second, false, reasonWithinPolicy},
		}},
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rt := newRestartTracker(tc.policy, tc.jobType)
			for i, s := range tc.steps {
				d := rt.next(start.Add(s.at), s.res)
				if d.restart != s.restart || d.delay != s.delay || d.failed != s.failed || d.reason != s.reason {
					t.Fatalf("step %d: got %+v, want restart=%v delay=%v failed=%v reason=%q", i, d, s.restart, s.delay, s.failed, s.reason)
				}
			}
		})
	}
}
