package exec

import (
	"fmt"
	"regexp"

	devices "github.com/opencontainers/cgroups/devices/config"
	"github.com/opencontainers/runc/libcontainer/configs"
	"github.com/opencontainers/runc/libcontainer/specconv"
	"golang.org/x/sys/unix"

	"github.com/drover-project/drover/driver"
)

// DefaultCapabilities are the capabilities a task may have, Nomad's
// default allow list for exec. A root task has them all; any other user
// has none in effect, and these bound what setuid programs can gain.
var DefaultCapabilities = []string{
	"CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_MKNOD", "CAP_NET_BIND_SERVICE",
	"CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT",
}

// Paths hidden from or made read-only in /proc and /sys, as runc does.
var (
	maskedPaths = []string{
		"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
		"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
		"/sys/firmware", "/sys/devices/virtual/powercap",
	}
	readonlyPaths = []string{
		"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
	}
)

// containerSpec is everything that differs between tasks' containers.
type containerSpec struct {
	id        string
	rootfs    string // the task directory
	hostname  string
	user      *taskUser
	plan      *rootfsPlan
	allocDir  string
	secrets   string // host secrets dir
	cgroupDir string // parent of the task's cgroup
	pidsLimit int64
	task      *driver.TaskConfig
	hostPID   bool  // pid_mode = "host"
	hostIPC   bool  // ipc_mode = "host"
	cpuQuota  int64 // CFS quota per cpuPeriod in µs; 0 for none
}

// containerConfig assembles libcontainer's config: private mount and uts
// namespaces, private pid and ipc ones unless the task shares the host's,
// the host's network, the planned root, the task's cgroup and
// capabilities.
func containerConfig(s *containerSpec) *configs.Config {
	caps := &configs.Capabilities{Bounding: DefaultCapabilities}
	if s.user.uid == 0 {
		caps.Effective = DefaultCapabilities
		caps.Permitted = DefaultCapabilities
	}
	var nodes []*devices.Device
	for _, d := range specconv.AllowedDevices {
		if d.Path != "" {
			nodes = append(nodes, d)
		}
	}
	mounts := append(taskMounts(s.allocDir, s.secrets, s.rootfs, s.user.uid, s.user.gid), s.plan.mounts...)
	return &configs.Config{
		Rootfs:          s.rootfs,
		RootPropagation: unix.MS_PRIVATE | unix.MS_REC,
		Hostname:        s.hostname,
		Namespaces:      namespaces(s.hostPID, s.hostIPC),
		Capabilities:    caps,
		Mounts:          mounts,
		Devices:         nodes,
		MaskPaths:       maskedPaths,
		ReadonlyPaths:   readonlyPaths,
		Cgroups:         withCPUQuota(cgroupConfig(s.cgroupDir, s.id, s.task.Resources, s.pidsLimit), s.cpuQuota),
		Version:         "1.0.0",
	}
}

// namespaces are the task's own namespaces. Without a private pid one,
// libcontainer kills every process of the cgroup, not just init, when the
// task is killed or its init exits.
func namespaces(hostPID, hostIPC bool) configs.Namespaces {
	ns := configs.Namespaces{{Type: configs.NEWNS}, {Type: configs.NEWUTS}}
	if !hostPID {
		ns = append(ns, configs.Namespace{Type: configs.NEWPID})
	}
	if !hostIPC {
		ns = append(ns, configs.Namespace{Type: configs.NEWIPC})
	}
	return ns
}

// idUnsafe is what libcontainer does not accept in a container id.
var idUnsafe = regexp.MustCompile(`[^\w+.-]`)

// containerID names the container of one task of one allocation; it is
// also the cgroup's name, so it must be unique on the node.
func containerID(allocID, task string) string {
	return fmt.Sprintf("%s.%s", idUnsafe.ReplaceAllString(allocID, "_"), idUnsafe.ReplaceAllString(task, "_"))
}
