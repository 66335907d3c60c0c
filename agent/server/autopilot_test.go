package server

import (
	"fmt"
	"testing"
	"time"
)

func TestDeadServersToRemove(t *testing.T) {
	now := time.Unix(1000, 0)
	long, short := now.Add(-time.Minute), now.Add(-time.Second)
	for _, tc := range []struct {
		name            string
		voters          []string
		status          map[string]string
		failedSince     map[string]time.Time
		bootstrapExpect int
		want            []string
	}{
		{"one dead of three", []string{"a", "b", "c"}, map[string]string{"a": "alive", "b": "alive", "c": "failed"},
			map[string]time.Time{"c": long}, 3, []string{"c"}},
		{"not failed long enough", []string{"a", "b", "c"}, map[string]string{"a": "alive", "b": "alive", "c": "failed"},
			map[string]time.Time{"c": short}, 3, nil},
		{"left is not failed", []string{"a", "b", "c"}, map[string]string{"a": "alive", "b": "alive", "c": "left"},
			map[string]time.Time{"c": long}, 3, nil},
		{"two dead of three: no quorum alive", []string{"a", "b", "c"}, map[string]string{"a": "alive", "b": "failed", "c": "failed"},
			map[string]time.Time{"b": long, "c": long}, 3, nil},
		{"never below quorum of five", []string{"a", "b", "c", "d", "e"},
			map[string]string{"a": "alive", "b": "alive", "c": "alive", "d": "failed", "e": "failed"},
			map[string]time.Time{"d": long, "e": long}, 5, []string{"d", "e"}},
		{"two of two would leave one", []string{"a", "b"}, map[string]string{"a": "alive", "b": "failed"},
			map[string]time.Time{"b": long}, 1, nil},
		{"bootstrap_expect floor", []string{"a", "b", "c", "d"}, map[string]string{"a": "alive", "b": "alive", "c": "alive", "d": "failed"},
			map[string]time.Time{"d": long}, 7, nil},
		{"never self", []string{"a", "b", "c"}, map[string]string{"a": "failed", "b": "alive", "c": "alive"},
			map[string]time.Time{"a": long}, 3, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := deadServersToRemove(deadServerInput{voters: tc.voters, status: tc.status, failedSince: tc.failedSince,
				now: now, stabilization: 10 * time.Second, self: "a", bootstrapExpect: tc.bootstrapExpect})
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}
