package main
import (
 _ "github.com/hashicorp/raft"
 _ "github.com/hashicorp/raft-boltdb/v2"
 _ "github.com/hashicorp/go-msgpack/v2/codec"
 _ "github.com/hashicorp/hcl/v2"
 _ "github.com/hashicorp/go-memdb"
 _ "github.com/hashicorp/go-hclog"
)
func main(){}
