// Package registry will build daemonless OCI images of Jac apps with
// go-containerregistry and push them to DockerHub, Amazon ECR and Google
// Artifact Registry, each with its own auth flow.
//
// Nothing is implemented here yet: the work is tracked by the registry issue.
// The runtime-only binary that goes into those images is `make build-slim`.
package registry
