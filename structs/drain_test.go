package structs

import "testing"

func TestDisconnectReplaceDefaultsToNomads(t *testing.T) {
	no, yes := false, true
	for _, tc := range []struct {
		name string
		d    *DisconnectStrategy
		want bool
	}{
		{"no block", nil, true},
		{"replace unset", &DisconnectStrategy{}, true},
		{"replace = true", &DisconnectStrategy{Replace: &yes}, true},
		{"replace = false", &DisconnectStrategy{Replace: &no}, false},
	} {
		if got := tc.d.ShouldReplace(); got != tc.want {
			t.Errorf("%s: ShouldReplace = %v, want %v", tc.name, got, tc.want)
		}
	}
}
