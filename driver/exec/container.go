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
}

// containerConfig assembles libcontainer's config: private pid, mount, ipc
// and uts namespaces with the host's network, the planned root, the
// task's cgroup and capabilities.
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
		Namespaces: configs.Namespaces{
			{Type: configs.NEWNS}, {Type: configs.NEWPID}, {Type: configs.NEWIPC}, {Type: configs.NEWUTS},
		},
		Capabilities:  caps,
		Mounts:        mounts,
		Devices:       nodes,
		MaskPaths:     maskedPaths,
		ReadonlyPaths: readonlyPaths,
		Cgroups:       cgroupConfig(s.cgroupDir, s.id, s.task.Resources, s.pidsLimit),
		Version:       "1.0.0",
	}
}

// idUnsafe is what libcontainer does not accept in a container id.
var idUnsafe = regexp.MustCompile(`[^\w+.-]`)

// containerID names the container of one task of one allocation; it is
// also the cgroup's name, so it must be unique on the node.
func containerID(allocID, task string) string {
	return fmt.Sprintf("%s.%s", idUnsafe.ReplaceAllString(allocID, "_"), idUnsafe.ReplaceAllString(task, "_"))
}
