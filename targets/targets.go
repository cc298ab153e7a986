// Package targets picks a deployment target — kubernetes (targets/kubernetes),
// aws (targets/aws: EKS, ECR) or gcp (targets/gcp: GKE, Artifact Registry) — and
// yields its Pulumi Kubernetes provider. The programs in infra/ only see the
// provider.
package targets

import (
	"fmt"

	k8s "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/jacscale/jac/infra/settings"
	"github.com/jacscale/jac/targets/aws"
	"github.com/jacscale/jac/targets/gcp"
	"github.com/jacscale/jac/targets/kubernetes"
)

// Provider is an infra.ProviderFunc choosing by s.Target.
func Provider(ctx *pulumi.Context, s settings.Settings) (*k8s.Provider, error) {
	switch s.Target {
	case "", "kubernetes":
		return kubernetes.Provider(ctx, s)
	case "aws":
		return aws.Provider(ctx, s)
	case "gcp":
		return gcp.Provider(ctx, s)
	}
	return nil, fmt.Errorf("%w: unknown target %q (kubernetes, aws, gcp)", settings.ErrConfig, s.Target)
}

// DefaultRegistry is the registry --build pushes to on a target when --registry
// is not given.
func DefaultRegistry(target string) string {
	switch target {
	case "aws":
		return "ecr"
	case "gcp":
		return "gcr"
	}
	return "dockerhub"
}
