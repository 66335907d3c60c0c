package e2e

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The netns harness runs every agent in a network namespace of its own, so
// agents see each other only through a software switch that a test can cut.
// The layout for one test, with R its run number (1..254):
//
//	drvR-br      the switch: bridge br0 and the switch ends of the veths
//	             (s0, s1, s2 for servers, c0, c1, ... for clients)
//	drvR-s0 ...  one namespace per agent: eth0 = 10.199.R.(10+i)/24 for
//	             server i, 10.199.R.(100+i)/24 for client i, and lo
//
// Nothing is added to the root namespace: the test process reaches an agent
// by creating its sockets inside that agent's namespace (dialInNetns), which
// also works while the agent is partitioned. Cutting a link sets the switch
// end of its veth down; the agent's own end loses carrier and its packets
// are dropped, as with a pulled cable.
//
// R is claimed by creating drvR-br (which fails if it exists), so parallel
// runs never share a prefix. The bridge namespace carries its owner's pid in
// br0's alias; a later run reaps the namespaces of an owner that died
// without cleaning up (go test killed by a timeout, say).

const netnsSubnet = "10.199"

// init keeps the main goroutine on the main thread for good, so no test
// goroutine ever runs there. dialInNetns switches the namespace of the
// thread it locks and never gives that thread back; done on the main
// thread, the whole test process would appear to live in an agent's
// namespace (/proc/<pid>/ns/net is the main thread's), and cleanup, which
// kills every process in it, would kill the test.
func init() { runtime.LockOSThread() }

// netnsNet is one test's switch and the agent namespaces attached to it.
type netnsNet struct {
	t      testing.TB
	run    int
	prefix string // "drvR-"
}

// requireNetns skips the test unless it runs as root with a working
// `ip netns` and veth and bridge support.
func requireNetns(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("netns e2e tests start 5 agents per scenario; skipped with -short")
	}
	if os.Geteuid() != 0 {
		t.Skip("netns e2e tests need root to create network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("netns e2e tests need iproute2's `ip` command")
	}
	if out, err := exec.Command("ip", "netns", "list").CombinedOutput(); err != nil {
		t.Skipf("`ip netns` is unavailable: %v: %s", err, out)
	}
}

// ipCmd runs `ip args...` and returns its combined output.
func ipCmd(args ...string) (string, error) {
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// newNetnsNet claims a run number, creates the switch namespace and
// registers the removal of everything it and attach create.
func newNetnsNet(t testing.TB) *netnsNet {
	t.Helper()
	requireNetns(t)
	n := &netnsNet{t: t}
	for _, r := range rand.Perm(254) {
		r++
		prefix := fmt.Sprintf("drv%d-", r)
		if _, err := ipCmd("netns", "add", prefix+"br"); err != nil {
			if reapStaleRun(prefix) {
				if _, err := ipCmd("netns", "add", prefix+"br"); err == nil {
					n.run, n.prefix = r, prefix
					break
				}
			}
			continue
		}
		n.run, n.prefix = r, prefix
		break
	}
	if n.prefix == "" {
		t.Fatal("no free run number for network namespaces drv1- to drv254-")
	}
	// Everything below is undone by cleanup, also when setup fails halfway.
	t.Cleanup(n.cleanup)
	// Namespaces named with this prefix but not ours are leftovers of a
	// run that died after its switch was removed: remove them first.
	for _, ns := range n.listOwn() {
		if ns != n.bridgeNS() {
			removeNetns(ns)
		}
	}
	for _, args := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "br0", "type", "bridge"},
		{"link", "set", "br0", "alias", "owner=" + strconv.Itoa(os.Getpid())},
		{"link", "set", "br0", "up"},
	} {
		if _, err := ipCmd(append([]string{"-n", n.bridgeNS()}, args...)...); err != nil {
			t.Fatal(err)
		}
	}
	return n
}

func (n *netnsNet) bridgeNS() string { return n.prefix + "br" }

// listOwn lists the namespaces whose names carry this run's prefix.
func (n *netnsNet) listOwn() []string { return netnsWithPrefix(n.prefix) }

func netnsWithPrefix(prefix string) []string {
	entries, err := os.ReadDir("/run/netns")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			out = append(out, e.Name())
		}
	}
	return out
}

// reapStaleRun removes the namespaces of run prefix when the process that
// created them is gone, and reports whether it did. A switch without an
// owner yet belongs to a run still setting up and is left alone.
func reapStaleRun(prefix string) bool {
	out, err := ipCmd("-n", prefix+"br", "-o", "link", "show", "br0")
	if err != nil {
		return false
	}
	i := strings.Index(out, "alias owner=")
	if i < 0 {
		return false
	}
	pid, err := strconv.Atoi(strings.Fields(out[i+len("alias owner="):])[0])
	if err != nil || pid == os.Getpid() || !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
		return false
	}
	for _, ns := range netnsWithPrefix(prefix) {
		if ns != prefix+"br" {
			removeNetns(ns)
		}
	}
	removeNetns(prefix + "br")
	return true
}

// removeNetns SIGKILLs every process left in ns (agents, task supervisors,
// tasks) and deletes it. Errors are ignored: it is best effort cleanup of
// something that may already be gone.
func removeNetns(ns string) {
	for i := 0; i < 50; i++ {
		out, err := exec.Command("ip", "netns", "pids", ns).Output()
		if err != nil || strings.TrimSpace(string(out)) == "" {
			break
		}
		for _, f := range strings.Fields(string(out)) {
			if pid, err := strconv.Atoi(f); err == nil && pid > 1 && pid != os.Getpid() {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	_, _ = ipCmd("netns", "del", ns)
}

// cleanup removes the agent namespaces, then the switch: removing the switch
// last keeps the rule that agent namespaces of a run exist only while its
// switch does, which newNetnsNet relies on to spot leftovers.
func (n *netnsNet) cleanup() {
	for _, ns := range n.listOwn() {
		if ns != n.bridgeNS() {
			removeNetns(ns)
		}
	}
	removeNetns(n.bridgeNS())
	if left := n.listOwn(); len(left) > 0 {
		n.t.Errorf("network namespaces left behind: %v", left)
	}
}

// attach creates namespace prefix+name with eth0 at ip/24, cabled to the
// switch through a veth whose switch end is called name.
func (n *netnsNet) attach(name, ip string) string {
	n.t.Helper()
	ns := n.prefix + name
	br := n.bridgeNS()
	steps := [][]string{
		{"netns", "add", ns},
		{"-n", ns, "link", "set", "lo", "up"},
		{"-n", br, "link", "add", name, "type", "veth", "peer", "name", "eth0", "netns", ns},
		{"-n", br, "link", "set", name, "master", "br0"},
		{"-n", br, "link", "set", name, "up"},
		{"-n", ns, "addr", "add", ip + "/24", "dev", "eth0"},
		{"-n", ns, "link", "set", "eth0", "up"},
	}
	for _, s := range steps {
		if _, err := ipCmd(s...); err != nil {
			n.t.Fatal(err)
		}
	}
	return ns
}

// setLink cuts (up=false) or restores the cable of the agent attached as
// name.
func (n *netnsNet) setLink(name string, up bool) {
	n.t.Helper()
	state := "down"
	if up {
		state = "up"
	}
	if _, err := ipCmd("-n", n.bridgeNS(), "link", "set", name, state); err != nil {
		n.t.Fatal(err)
	}
}

// dialInNetns connects to addr with a socket created inside network
// namespace ns. A socket belongs to the namespace it was created in, so
// only the creation runs on a thread switched into ns; the connection is
// then used from any goroutine like any other.
func dialInNetns(ctx context.Context, ns, network, addr string) (net.Conn, error) {
	type result struct {
		conn net.Conn
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		// The thread is never unlocked: once switched it must not run
		// other goroutines, and Go ends a thread whose goroutine exits
		// while locked.
		runtime.LockOSThread()
		if unix.Gettid() == os.Getpid() {
			ch <- result{err: errors.New("dialInNetns: refusing to switch the main thread's namespace")}
			return
		}
		fd, err := unix.Open(filepath.Join("/run/netns", ns), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			ch <- result{err: fmt.Errorf("opening netns %s: %w", ns, err)}
			return
		}
		err = unix.Setns(fd, unix.CLONE_NEWNET)
		unix.Close(fd)
		if err != nil {
			ch <- result{err: fmt.Errorf("entering netns %s: %w", ns, err)}
			return
		}
		var d net.Dialer
		c, err := d.DialContext(ctx, network, addr)
		ch <- result{c, err}
	}()
	r := <-ch
	return r.conn, r.err
}

// netnsPids lists the pids of the processes in ns whose command line
// starts with argv0 (all of them when argv0 is empty).
func netnsPids(t testing.TB, ns, argv0 string) []int {
	t.Helper()
	out, err := ipCmd("netns", "pids", ns)
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, f := range strings.Fields(out) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil {
			continue // exited meanwhile
		}
		if argv0 == "" || strings.SplitN(string(cmdline), "\x00", 2)[0] == argv0 {
			pids = append(pids, pid)
		}
	}
	return pids
}

// TestNetnsReapStale checks that a run's namespaces are removed by a later
// run once their owner is gone, and kept while it lives.
func TestNetnsReapStale(t *testing.T) {
	requireNetns(t)
	// A prefix no real run uses (those are drv1- to drv254-).
	prefix := fmt.Sprintf("drvstale%d-", os.Getpid())
	t.Cleanup(func() {
		for _, ns := range netnsWithPrefix(prefix) {
			removeNetns(ns)
		}
	})
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	setup := func(owner int) {
		t.Helper()
		for _, args := range [][]string{
			{"netns", "add", prefix + "br"},
			{"netns", "add", prefix + "s0"},
			{"-n", prefix + "br", "link", "add", "br0", "type", "bridge"},
			{"-n", prefix + "br", "link", "set", "br0", "alias", "owner=" + strconv.Itoa(owner)},
		} {
			if _, err := ipCmd(args...); err != nil {
				t.Fatal(err)
			}
		}
	}

	setup(os.Getpid())
	if reapStaleRun(prefix) {
		t.Fatal("reaped the namespaces of a live owner")
	}
	if got := netnsWithPrefix(prefix); len(got) != 2 {
		t.Fatalf("namespaces of a live owner: %v", got)
	}
	for _, ns := range netnsWithPrefix(prefix) {
		removeNetns(ns)
	}

	setup(dead.Process.Pid)
	if !reapStaleRun(prefix) {
		t.Fatal("did not reap the namespaces of a dead owner")
	}
	if got := netnsWithPrefix(prefix); len(got) != 0 {
		t.Fatalf("left behind: %v", got)
	}
}
