// Package infra will hold the declarative Pulumi programs (Go SDK,
// pulumi-kubernetes) shared by `pulumi up` from the root Pulumi.yaml, by
// `jac start --scale` / `jac destroy` through the Automation API, and by CI
// deploy jobs.
//
// Nothing is implemented here yet: the work is tracked by the infra issue.
// cmd/jac/start.go already has the hook (scaleHook) that the full build will set.
package infra
