package command

import (
	"testing"
	"time"
)

func TestPrettyTimeDiff(t *testing.T) {
	cases := []struct {
		ago  time.Duration
		want string
	}{
		{0, "0s ago"},
		{-5 * time.Second, "0s ago"},
		{12*time.Second + 400*time.Millisecond, "12s ago"},
		{5*time.Minute + 3*time.Second, "5m3s ago"},
		{2*time.Hour + 15*time.Minute + 9*time.Second, "2h15m ago"},
		{time.Hour + 10*time.Second, "1h ago"},
		{3*24*time.Hour + 4*time.Hour, "3d4h ago"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			if got := prettyTimeDiff(now.Add(-tc.ago), now); got != tc.want {
				t.Errorf("got %q", got)
			}
		})
	}
}

func TestFormatMiB(t *testing.T) {
	cases := map[int64]string{0: "0 MiB", 64: "64 MiB", 1024: "1 GiB", 7936: "7.8 GiB", 16384: "16 GiB"}
	for in, want := range cases {
		t.Run(want, func(t *testing.T) {
			if got := formatMiB(in); got != want {
				t.Errorf("formatMiB(%d) = %q", in, got)
			}
		})
	}
}

func TestColumnizeAndKV(t *testing.T) {
	cases := []struct {
		name string
		fn   func([]string) string
		in   []string
		want string
	}{
		{"columns", columnize, []string{"ID|Status", "abcdef|ok", "x|running"}, "ID      Status\nabcdef  ok\nx       running"},
		{"kv", formatKV, []string{"ID|a", "Client Status|running"}, "ID            = a\nClient Status = running"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.fn(tc.in); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
