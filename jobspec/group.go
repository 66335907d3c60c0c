package jobspec

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/drover-project/drover/structs"
)

// groupSchema is the body of group "<name>" { ... }. Read-only.
var groupSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "count"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "constraint"},
		{Type: "disconnect"},
		{Type: "meta"},
		{Type: "migrate"},
		{Type: "restart"},
		{Type: "task", LabelNames: []string{"name"}},
	},
}

// restartSchema is the body of a group's restart block. Read-only.
var restartSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "attempts"},
		{Name: "interval"},
		{Name: "delay"},
		{Name: "mode"},
	},
}

// decodeGroup decodes a group block of a job of type jobType. A group without
// count gets 1, Nomad's default, here rather than in Canonicalize: after
// parsing, an omitted count and count = 0 would be indistinguishable.
func (d *decoder) decodeGroup(blk *hcl.Block, jobType string) (*structs.TaskGroup, hcl.Diagnostics) {
	tg := &structs.TaskGroup{Name: blk.Labels[0], Count: 1}
	content, diags := blk.Body.Content(groupSchema)
	diags = append(diags, d.setInt(content.Attributes, "count", &tg.Count)...)

	constraints, conDiags := d.decodeConstraints(content.Blocks)
	tg.Constraints = constraints
	diags = append(diags, conDiags...)

	meta, metaDiags := d.optionalMap(content.Blocks, "meta")
	tg.Meta = meta
	diags = append(diags, metaDiags...)

	restart, restartDiags := singleBlock(content.Blocks, "restart")
	diags = append(diags, restartDiags...)
	if restart != nil {
		rp, rpDiags := d.decodeRestart(restart, jobType)
		tg.RestartPolicy = rp
		diags = append(diags, rpDiags...)
	}

	migrate, migrateDiags := singleBlock(content.Blocks, "migrate")
	diags = append(diags, migrateDiags...)
	if migrate != nil {
		m, mDiags := d.decodeMigrate(migrate)
		tg.Migrate = m
		diags = append(diags, mDiags...)
	}

	disconnect, disconnectDiags := singleBlock(content.Blocks, "disconnect")
	diags = append(diags, disconnectDiags...)
	if disconnect != nil {
		ds, dDiags := d.decodeDisconnect(disconnect)
		tg.Disconnect = ds
		diags = append(diags, dDiags...)
	}

	tasks := content.Blocks.OfType("task")
	diags = append(diags, duplicateLabel(tasks)...)
	for _, t := range tasks {
		task, taskDiags := d.decodeTask(t)
		diags = append(diags, taskDiags...)
		tg.Tasks = append(tg.Tasks, task)
	}
	return tg, diags
}

// decodeRestart decodes a restart block. As in Nomad, attributes left out
// keep the job type's defaults (an empty type means service, as in
// Canonicalize), since "delay = 0s" and an omitted delay must differ. The
// mode is validated by the server.
func (d *decoder) decodeRestart(blk *hcl.Block, jobType string) (*structs.RestartPolicy, hcl.Diagnostics) {
	rp := structs.DefaultRestartPolicy(jobType)
	content, diags := blk.Body.Content(restartSchema)
	attrs := content.Attributes
	diags = append(diags, d.setInt(attrs, "attempts", &rp.Attempts)...)
	diags = append(diags, d.setDuration(attrs, "interval", &rp.Interval)...)
	diags = append(diags, d.setDuration(attrs, "delay", &rp.Delay)...)
	diags = append(diags, d.setString(attrs, "mode", &rp.Mode)...)
	return rp, diags
}
