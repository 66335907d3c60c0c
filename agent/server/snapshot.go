package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/hashicorp/go-msgpack/v2/codec"
	"github.com/hashicorp/raft"

	"github.com/drover-project/drover/state"
	"github.com/drover-project/drover/structs"
)

// snapshotVersion is written first in every snapshot; Restore refuses
// versions it does not know rather than guess.
const snapshotVersion = 1

// snapshotRecord tags each object in a snapshot stream.
type snapshotRecord uint8

const (
	recordIndex snapshotRecord = iota + 1
	recordJob
	recordNode
	recordAlloc
	recordEval
)

type fsmSnapshot struct {
	snap *state.StateSnapshot
}

// Persist implements raft.FSMSnapshot: a version header, then tagged
// msgpack records for every object.
func (s *fsmSnapshot) Persist(sink raft.SnapshotSink) error {
	if err := s.persist(sink); err != nil {
		_ = sink.Cancel()
		return fmt.Errorf("persisting snapshot: %w", err)
	}
	return sink.Close()
}

func (s *fsmSnapshot) persist(w io.Writer) error {
	bw := bufio.NewWriter(w)
	enc := codec.NewEncoder(bw, structs.MsgpackHandle)
	if err := enc.Encode(snapshotVersion); err != nil {
		return err
	}
	write := func(rec snapshotRecord, obj interface{}) error {
		if err := enc.Encode(rec); err != nil {
			return err
		}
		return enc.Encode(obj)
	}
	indexes, err := s.snap.Indexes()
	if err != nil {
		return err
	}
	for _, i := range indexes {
		if err := write(recordIndex, i); err != nil {
			return err
		}
	}
	jobs, err := s.snap.Jobs(nil)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if err := write(recordJob, j); err != nil {
			return err
		}
	}
	nodes, err := s.snap.Nodes(nil)
	if err != nil {
		return err
	}
	for _, n := range nodes {
		if err := write(recordNode, n); err != nil {
			return err
		}
	}
	allocs, err := s.snap.Allocs(nil)
	if err != nil {
		return err
	}
	for _, a := range allocs {
		if err := write(recordAlloc, a); err != nil {
			return err
		}
	}
	evals, err := s.snap.Evals(nil)
	if err != nil {
		return err
	}
	for _, e := range evals {
		if err := write(recordEval, e); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Release implements raft.FSMSnapshot.
func (s *fsmSnapshot) Release() {}

// restoreSnapshot reads a stream written by persist into an empty store.
func restoreSnapshot(s *state.StateStore, r io.Reader) error {
	dec := codec.NewDecoder(bufio.NewReader(r), structs.MsgpackHandle)
	var version int
	if err := dec.Decode(&version); err != nil {
		return fmt.Errorf("reading snapshot header: %w", err)
	}
	if version != snapshotVersion {
		return fmt.Errorf("snapshot version %d is not supported (want %d)", version, snapshotVersion)
	}
	res := s.Restore()
	defer res.Abort()
	for n := 0; ; n++ {
		var rec snapshotRecord
		if err := dec.Decode(&rec); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return fmt.Errorf("reading snapshot record %d: %w", n, err)
		}
		var err error
		switch rec {
		case recordIndex:
			v := new(state.IndexEntry)
			if err = dec.Decode(v); err == nil {
				err = res.Index(v)
			}
		case recordJob:
			v := new(structs.Job)
			if err = dec.Decode(v); err == nil {
				err = res.Job(v)
			}
		case recordNode:
			v := new(structs.Node)
			if err = dec.Decode(v); err == nil {
				err = res.Node(v)
			}
		case recordAlloc:
			v := new(structs.Allocation)
			if err = dec.Decode(v); err == nil {
				err = res.Alloc(v)
			}
		case recordEval:
			v := new(structs.Evaluation)
			if err = dec.Decode(v); err == nil {
				err = res.Eval(v)
			}
		default:
			return fmt.Errorf("snapshot record %d: unknown type %d", n, rec)
		}
		if err != nil {
			return fmt.Errorf("snapshot record %d (type %d): %w", n, rec, err)
		}
	}
	res.Commit()
	return nil
}
