//go:build tools

// Package tools keeps the control-plane commands in this module's graph, so that `go build` of
// k8s.io/kubernetes/cmd/... uses the versions pinned here (see ../build.sh).
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
