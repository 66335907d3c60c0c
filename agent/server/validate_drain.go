package server

import (
	"fmt"
	"slices"
	"strings"

	"github.com/drover-project/drover/structs"
)

// reconcileRules are the valid disconnect.reconcile values.
var reconcileRules = []string{structs.ReconcileBestScore, structs.ReconcileKeepOriginal,
	structs.ReconcileKeepReplacement, structs.ReconcileLongestRunning}

// validateMigrate checks a group's migrate block (where names the group).
func validateMigrate(where string, m *structs.MigrateStrategy) []error {
	if m == nil {
		return nil
	}
	var errs []error
	add := func(format string, args ...interface{}) {
		errs = append(errs, fmt.Errorf(where+": migrate: "+format, args...))
	}
	if m.MaxParallel < 0 {
		add("max_parallel must not be negative, got %d", m.MaxParallel)
	}
	switch m.HealthCheck {
	case "", structs.MigrateHealthChecks, structs.MigrateHealthTaskStates:
	default:
		add("health_check %q is invalid (valid: %s, %s)", m.HealthCheck, structs.MigrateHealthChecks, structs.MigrateHealthTaskStates)
	}
	if m.MinHealthyTime < 0 || m.HealthyDeadline < 0 {
		add("min_healthy_time and healthy_deadline must not be negative")
	}
	if m.HealthyDeadline > 0 && m.MinHealthyTime >= m.HealthyDeadline {
		add("min_healthy_time (%s) must be less than healthy_deadline (%s)", m.MinHealthyTime, m.HealthyDeadline)
	}
	return errs
}

// validateDisconnect checks a group's disconnect block.
func validateDisconnect(where string, d *structs.DisconnectStrategy) []error {
	if d == nil {
		return nil
	}
	var errs []error
	add := func(format string, args ...interface{}) {
		errs = append(errs, fmt.Errorf(where+": disconnect: "+format, args...))
	}
	if d.LostAfter < 0 {
		add("lost_after must not be negative, got %s", d.LostAfter)
	}
	if d.StopOnClientAfter != nil && *d.StopOnClientAfter < 0 {
		add("stop_on_client_after must not be negative, got %s", *d.StopOnClientAfter)
	}
	if d.StopOnClientAfter != nil && d.LostAfter > 0 {
		add("lost_after and stop_on_client_after cannot both be set")
	}
	if d.Reconcile != "" && !slices.Contains(reconcileRules, d.Reconcile) {
		add("reconcile %q is invalid (valid: %s)", d.Reconcile, strings.Join(reconcileRules, ", "))
	}
	return errs
}
