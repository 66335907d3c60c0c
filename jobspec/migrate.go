package jobspec

import (
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/drover-project/drover/structs"
)

// migrateSchema is the body of a group's migrate block. Read-only.
var migrateSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "max_parallel"},
		{Name: "health_check"},
		{Name: "min_healthy_time"},
		{Name: "healthy_deadline"},
	},
}

// disconnectSchema is the body of a group's disconnect block. Read-only.
var disconnectSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "lost_after"},
		{Name: "replace"},
		{Name: "reconcile"},
		{Name: "stop_on_client_after"},
	},
}

// decodeMigrate decodes a migrate block; omitted attributes keep Nomad's
// defaults. Values are validated by the server.
func (d *decoder) decodeMigrate(blk *hcl.Block) (*structs.MigrateStrategy, hcl.Diagnostics) {
	m := structs.DefaultMigrateStrategy()
	content, diags := blk.Body.Content(migrateSchema)
	attrs := content.Attributes
	diags = append(diags, d.setInt(attrs, "max_parallel", &m.MaxParallel)...)
	diags = append(diags, d.setString(attrs, "health_check", &m.HealthCheck)...)
	diags = append(diags, d.setDuration(attrs, "min_healthy_time", &m.MinHealthyTime)...)
	diags = append(diags, d.setDuration(attrs, "healthy_deadline", &m.HealthyDeadline)...)
	return m, diags
}

// decodeDisconnect decodes a disconnect block. replace defaults to true (as
// in Nomad) and reconcile to best_score.
func (d *decoder) decodeDisconnect(blk *hcl.Block) (*structs.DisconnectStrategy, hcl.Diagnostics) {
	ds := &structs.DisconnectStrategy{Reconcile: structs.ReconcileBestScore}
	content, diags := blk.Body.Content(disconnectSchema)
	attrs := content.Attributes
	diags = append(diags, d.setDuration(attrs, "lost_after", &ds.LostAfter)...)
	diags = append(diags, d.setString(attrs, "reconcile", &ds.Reconcile)...)
	if _, ok := attrs["replace"]; ok {
		var replace bool
		diags = append(diags, d.setBool(attrs, "replace", &replace)...)
		ds.Replace = &replace
	}
	if _, ok := attrs["stop_on_client_after"]; ok {
		var after time.Duration
		diags = append(diags, d.setDuration(attrs, "stop_on_client_after", &after)...)
		ds.StopOnClientAfter = &after
	}
	return ds, diags
}
