package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// BenchmarkDevAgentReady measures `drover agent -dev` from exec to a ready
// node (leader elected, client registered, HTTP answering). Run with
// -benchtime=10x; reports the median.
func BenchmarkDevAgentReady(b *testing.B) {
	droverBinary(b)
	var samples []time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		a := startDevAgent(b, "")
		samples = append(samples, time.Since(start))
		a.stop()
	}
	reportMedian(b, samples)
}

// BenchmarkJobRunToRunning measures `drover job run` of a raw_exec job until
// its allocation reports running, on one dev agent. Reports the median.
// Jobs are a second apart, as a person runs them: the client paces status
// reports (a burst of two, then one per 200 ms), so back-to-back jobs on one
// node measure that pacing instead.
func BenchmarkJobRunToRunning(b *testing.B) {
	a := startDevAgent(b, "")
	dir := b.TempDir()
	var samples []time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		time.Sleep(time.Second)
		b.StartTimer()
		id := fmt.Sprintf("bench%d", i)
		job := fmt.Sprintf(`job %q {
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["600"]
      }
      resources {
        cpu    = 10
        memory = 10
      }
    }
  }
}
`, id)
		path := filepath.Join(dir, id+".hcl")
		if err := os.WriteFile(path, []byte(job), 0o644); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		cmd := exec.Command(a.bin, "job", "run", "-detach", path)
		cmd.Env = append(os.Environ(), "DROVER_ADDR="+a.addr)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("job run: %v\n%s", err, out)
		}
		for {
			var allocs []allocStub
			if err := a.getJSON("/v1/job/"+id+"/allocations", &allocs); err == nil &&
				len(allocs) == 1 && allocs[0].ClientStatus == "running" {
				break
			}
			if time.Since(start) > 30*time.Second {
				b.Fatalf("job %s not running after 30s", id)
			}
			time.Sleep(2 * time.Millisecond)
		}
		samples = append(samples, time.Since(start))
	}
	reportMedian(b, samples)
}

func reportMedian(b *testing.B, samples []time.Duration) {
	sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
	med := samples[len(samples)/2]
	b.ReportMetric(float64(med.Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(samples[0].Microseconds())/1000, "min-ms")
	b.ReportMetric(float64(samples[len(samples)-1].Microseconds())/1000, "max-ms")
}
