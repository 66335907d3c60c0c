package driver

import (
	"syscall"
	"testing"
)

func TestParseSignal(t *testing.T) {
	cases := []struct {
		in      string
		want    syscall.Signal
		wantErr bool
	}{
		{"", syscall.SIGINT, false},
		{"SIGTERM", syscall.SIGTERM, false},
		{"TERM", syscall.SIGTERM, false},
		{"sigkill", syscall.SIGKILL, false},
		{" SIGUSR1 ", syscall.SIGUSR1, false},
		{"SIGNOPE", 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSignal(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestExitResultSuccessful(t *testing.T) {
	cases := []struct {
		name string
		r    *ExitResult
		want bool
	}{
		{"nil", nil, false},
		{"zero", &ExitResult{}, true},
		{"code", &ExitResult{ExitCode: 1}, false},
		{"signal", &ExitResult{Signal: 9}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Successful(); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}
