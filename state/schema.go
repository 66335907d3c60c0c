package state

import (
	memdb "github.com/hashicorp/go-memdb"
)

// Table names.
const (
	tableIndex  = "index"
	tableJobs   = "jobs"
	tableNodes  = "nodes"
	tableAllocs = "allocs"
	tableEvals  = "evals"
)

// IndexEntry records the Raft index of the last write to a table.
type IndexEntry struct {
	Key   string
	Value uint64
}

func schema() *memdb.DBSchema {
	nsID := &memdb.CompoundIndex{Indexes: []memdb.Indexer{
		&memdb.StringFieldIndex{Field: "Namespace"},
		&memdb.StringFieldIndex{Field: "ID"},
	}}
	nsJob := &memdb.CompoundIndex{Indexes: []memdb.Indexer{
		&memdb.StringFieldIndex{Field: "Namespace"},
		&memdb.StringFieldIndex{Field: "JobID"},
	}}
	return &memdb.DBSchema{Tables: map[string]*memdb.TableSchema{
		tableIndex: {
			Name: tableIndex,
			Indexes: map[string]*memdb.IndexSchema{
				"id": {Name: "id", Unique: true, Indexer: &memdb.StringFieldIndex{Field: "Key"}},
			},
		},
		tableJobs: {
			Name: tableJobs,
			Indexes: map[string]*memdb.IndexSchema{
				"id": {Name: "id", Unique: true, Indexer: nsID},
			},
		},
		tableNodes: {
			Name: tableNodes,
			Indexes: map[string]*memdb.IndexSchema{
				"id": {Name: "id", Unique: true, Indexer: &memdb.StringFieldIndex{Field: "ID"}},
			},
		},
		tableAllocs: {
			Name: tableAllocs,
			Indexes: map[string]*memdb.IndexSchema{
				"id":   {Name: "id", Unique: true, Indexer: &memdb.StringFieldIndex{Field: "ID"}},
				"job":  {Name: "job", Indexer: nsJob},
				"node": {Name: "node", Indexer: &memdb.StringFieldIndex{Field: "NodeID"}},
				"eval": {Name: "eval", Indexer: &memdb.StringFieldIndex{Field: "EvalID"}},
			},
		},
		tableEvals: {
			Name: tableEvals,
			Indexes: map[string]*memdb.IndexSchema{
				"id":  {Name: "id", Unique: true, Indexer: &memdb.StringFieldIndex{Field: "ID"}},
				"job": {Name: "job", Indexer: nsJob},
			},
		},
	}}
}
