package jobspec

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/drover-project/drover/structs"
)

// jobSchema is the body of job "<id>" { ... }. Read-only.
var jobSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "name"},
		{Name: "type"},
		{Name: "priority"},
		{Name: "datacenters"},
		{Name: "node_pool"},
		{Name: "region"},
		{Name: "namespace"},
		{Name: "all_at_once"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "meta"},
		{Type: "constraint"},
		{Type: "group", LabelNames: []string{"name"}},
	},
}

// decodeJob decodes a job block. The job type is kept as written; checking it
// is one of the supported types is the server's job.
func (d *decoder) decodeJob(blk *hcl.Block) (*structs.Job, hcl.Diagnostics) {
	job := &structs.Job{ID: blk.Labels[0]}
	content, diags := blk.Body.Content(jobSchema)
	attrs := content.Attributes

	diags = append(diags, d.setString(attrs, "name", &job.Name)...)
	diags = append(diags, d.setString(attrs, "type", &job.Type)...)
	diags = append(diags, d.setInt(attrs, "priority", &job.Priority)...)
	diags = append(diags, d.setStringList(attrs, "datacenters", &job.Datacenters)...)
	diags = append(diags, d.setString(attrs, "node_pool", &job.NodePool)...)
	diags = append(diags, d.setString(attrs, "region", &job.Region)...)
	diags = append(diags, d.setString(attrs, "namespace", &job.Namespace)...)
	diags = append(diags, d.setBool(attrs, "all_at_once", &job.AllAtOnce)...)
	if job.Name == "" {
		job.Name = job.ID
	}

	meta, metaDiags := d.optionalMap(content.Blocks, "meta")
	job.Meta = meta
	diags = append(diags, metaDiags...)

	constraints, conDiags := d.decodeConstraints(content.Blocks)
	job.Constraints = constraints
	diags = append(diags, conDiags...)

	groups := content.Blocks.OfType("group")
	diags = append(diags, duplicateLabel(groups)...)
	for _, g := range groups {
		tg, groupDiags := d.decodeGroup(g, job.Type)
		diags = append(diags, groupDiags...)
		job.TaskGroups = append(job.TaskGroups, tg)
	}
	return job, diags
}
