package targets

import (
	"errors"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/jacscale/jac/infra/settings"
)

type noMocks struct{}

func (noMocks) NewResource(a pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return a.Name, a.Inputs, nil
}
func (noMocks) Call(pulumi.MockCallArgs) (resource.PropertyMap, error) { return nil, nil }

func TestDispatch(t *testing.T) {
	for target, want := range map[string]string{"kubernetes": "dockerhub", "aws": "ecr", "gcp": "gcr"} {
		if got := DefaultRegistry(target); got != want {
			t.Errorf("DefaultRegistry(%s) = %s", target, got)
		}
	}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		s := settings.Defaults()
		s.Target = "azure"
		_, err := Provider(ctx, s)
		return err
	}, pulumi.WithMocks("jac-scale", "t", noMocks{}))
	if !errors.Is(err, settings.ErrConfig) {
		t.Fatalf("unknown target: %v", err)
	}
}
