// Package targets will hold the deployment targets — kubernetes, aws (EKS +
// ECR) and gcp (GKE + Artifact Registry) — each a configuration of the
// programs in infra/.
//
// Nothing is implemented here yet: the work is tracked by the infra issue.
package targets
