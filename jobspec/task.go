package jobspec

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/drover-project/drover/structs"
)

// taskSchema is the body of task "<name>" { ... }. Read-only.
var taskSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "driver"},
		{Name: "user"},
		{Name: "kill_timeout"},
		{Name: "kill_signal"},
		{Name: "leader"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "config"},
		{Type: "env"},
		{Type: "resources"},
		{Type: "meta"},
		{Type: "constraint"},
		{Type: "logs"},
		{Type: "lifecycle"},
	},
}

// resourcesSchema is the body of a task's resources block. Read-only.
// "disk" is accepted because older Nomad job files still set it, but it is
// ignored, as in Nomad: disk is requested per group (ephemeral_disk).
var resourcesSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "cpu"},
		{Name: "cores"},
		{Name: "memory"},
		{Name: "memory_max"},
		{Name: "disk"},
	},
}

// logsSchema is the body of a task's logs block. Read-only.
var logsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "max_files"},
		{Name: "max_file_size"},
	},
}

// decodeTask decodes a task block. The driver is not required here; the
// server rejects a task without one.
func (d *decoder) decodeTask(blk *hcl.Block) (*structs.Task, hcl.Diagnostics) {
	task := &structs.Task{Name: blk.Labels[0]}
	content, diags := blk.Body.Content(taskSchema)
	attrs := content.Attributes
	diags = append(diags, d.setString(attrs, "driver", &task.Driver)...)
	diags = append(diags, d.setString(attrs, "user", &task.User)...)
	diags = append(diags, d.setDuration(attrs, "kill_timeout", &task.KillTimeout)...)
	diags = append(diags, d.setString(attrs, "kill_signal", &task.KillSignal)...)
	diags = append(diags, d.setBool(attrs, "leader", &task.Leader)...)

	config, cfgDiags := singleBlock(content.Blocks, "config")
	diags = append(diags, cfgDiags...)
	if config != nil {
		m, mDiags := d.decodeConfig(config.Body)
		task.Config = m
		diags = append(diags, mDiags...)
	}

	env, envDiags := d.optionalMap(content.Blocks, "env")
	task.Env = env
	diags = append(diags, envDiags...)

	meta, metaDiags := d.optionalMap(content.Blocks, "meta")
	task.Meta = meta
	diags = append(diags, metaDiags...)

	constraints, conDiags := d.decodeConstraints(content.Blocks)
	task.Constraints = constraints
	diags = append(diags, conDiags...)

	res, resDiags := singleBlock(content.Blocks, "resources")
	diags = append(diags, resDiags...)
	if res != nil {
		r, rDiags := d.decodeResources(res)
		task.Resources = r
		diags = append(diags, rDiags...)
	}

	logs, logsDiags := singleBlock(content.Blocks, "logs")
	diags = append(diags, logsDiags...)
	if logs != nil {
		lc, lDiags := d.decodeLogs(logs)
		task.LogConfig = lc
		diags = append(diags, lDiags...)
	}

	lifecycle, lcDiags := singleBlock(content.Blocks, "lifecycle")
	diags = append(diags, lcDiags...)
	if lifecycle != nil {
		lc, lDiags := d.decodeLifecycle(lifecycle)
		task.Lifecycle = lc
		diags = append(diags, lDiags...)
	}
	return task, diags
}

// decodeResources decodes a resources block; cpu is in MHz, memory in MB.
func (d *decoder) decodeResources(blk *hcl.Block) (*structs.Resources, hcl.Diagnostics) {
	r := &structs.Resources{}
	content, diags := blk.Body.Content(resourcesSchema)
	attrs := content.Attributes
	diags = append(diags, d.setInt(attrs, "cpu", &r.CPU)...)
	diags = append(diags, d.setInt(attrs, "cores", &r.Cores)...)
	diags = append(diags, d.setInt(attrs, "memory", &r.MemoryMB)...)
	diags = append(diags, d.setInt(attrs, "memory_max", &r.MemoryMaxMB)...)
	var ignoredDisk int
	diags = append(diags, d.setInt(attrs, "disk", &ignoredDisk)...)
	return r, diags
}

// decodeLogs decodes a logs block; max_file_size is in MB. Attributes left
// out keep Nomad's defaults, as a zero would mean something else.
func (d *decoder) decodeLogs(blk *hcl.Block) (*structs.LogConfig, hcl.Diagnostics) {
	lc := structs.DefaultLogConfig() // what the block leaves out keeps its default
	content, diags := blk.Body.Content(logsSchema)
	diags = append(diags, d.setInt(content.Attributes, "max_files", &lc.MaxFiles)...)
	diags = append(diags, d.setInt(content.Attributes, "max_file_size", &lc.MaxFileSizeMB)...)
	return lc, diags
}
