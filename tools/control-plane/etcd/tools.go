//go:build tools

// Package tools keeps etcd's server command in this module's graph. etcd has a module of its own so
// that its dependency versions never move Kubernetes' (../kubernetes).
package tools

import _ "go.etcd.io/etcd/server/v3"
