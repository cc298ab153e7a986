package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"net/url"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-containerregistry/pkg/authn"

	"github.com/jacscale/jac/registry"
)

var ecrHost = regexp.MustCompile(`^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$`)

func isECRHost(h string) bool { return ecrHost.MatchString(h) }

// resolveECR: default credential chain → STS identity → ECR repository (created
// when missing) → GetAuthorizationToken → Basic AWS:<token>.
func resolveECR(ctx context.Context, o Options) (*Target, error) {
	host, rest := SplitHost(o.Image)
	var hostAccount, hostRegion string
	if m := ecrHost.FindStringSubmatch(strings.ToLower(host)); m != nil {
		hostAccount, hostRegion = m[1], m[2]
	}
	var cfg aws.Config
	if o.AWSConfig != nil {
		cfg = o.AWSConfig.Copy()
	} else {
		var lo []func(*config.LoadOptions) error
		if o.AWSRegion != "" {
			lo = append(lo, config.WithRegion(o.AWSRegion))
		}
		var err error
		cfg, err = config.LoadDefaultConfig(ctx, lo...)
		if err != nil {
			return nil, registry.Wrap(registry.KindAuth, "aws config", err)
		}
	}
	if hostRegion != "" {
		cfg.Region = hostRegion
	} else if o.AWSRegion != "" {
		cfg.Region = o.AWSRegion
	}
	if cfg.Region == "" {
		return nil, errorf(registry.KindInput, "ecr", "no AWS region: set AWS_REGION (or a region in ~/.aws/config), or give an ECR host in --image")
	}

	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, registry.Wrap(classifyAWS(err, registry.KindAuth), "aws sts GetCallerIdentity", err)
	}
	account := aws.ToString(id.Account)
	registryID := account
	if hostAccount != "" {
		registryID = hostAccount
	}

	repo := rest
	if host == "" {
		repo = o.Image
	}
	if repo == "" {
		repo = o.AppName
	}
	repo = stripTag(repo)
	if repo == "" {
		return nil, errorf(registry.KindInput, "image", "give --image")
	}

	client := ecr.NewFromConfig(cfg)
	if !o.NoCreate {
		_, err := client.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RegistryId: aws.String(registryID), RepositoryNames: []string{repo}})
		var nf *ecrtypes.RepositoryNotFoundException
		switch {
		case errors.As(err, &nf):
			_, err = client.CreateRepository(ctx, &ecr.CreateRepositoryInput{
				RegistryId:         aws.String(registryID),
				RepositoryName:     aws.String(repo),
				ImageTagMutability: ecrtypes.ImageTagMutabilityMutable,
				Tags:               []ecrtypes.Tag{{Key: aws.String("created-by"), Value: aws.String("jac build")}},
			})
			if err != nil {
				var exists *ecrtypes.RepositoryAlreadyExistsException
				if !errors.As(err, &exists) {
					return nil, registry.Wrap(classifyAWS(err, registry.KindOther), "ecr CreateRepository "+repo, err)
				}
			}
			o.emit(registry.Event{Type: "repository", Status: "created", Ref: repo, Message: "ecr " + registryID + " " + cfg.Region})
		case err != nil:
			return nil, registry.Wrap(classifyAWS(err, registry.KindOther), "ecr DescribeRepositories "+repo, err)
		default:
			o.emit(registry.Event{Type: "repository", Status: "exists", Ref: repo, Message: "ecr " + registryID + " " + cfg.Region})
		}
	}

	tok, err := client.GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	if err != nil {
		return nil, registry.Wrap(classifyAWS(err, registry.KindAuth), "ecr GetAuthorizationToken", err)
	}
	if len(tok.AuthorizationData) == 0 || tok.AuthorizationData[0].AuthorizationToken == nil {
		return nil, errorf(registry.KindAuth, "ecr GetAuthorizationToken", "no authorization data in the answer")
	}
	ad := tok.AuthorizationData[0]
	raw, err := base64.StdEncoding.DecodeString(aws.ToString(ad.AuthorizationToken))
	if err != nil {
		return nil, registry.Wrap(registry.KindAuth, "ecr token", err)
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	if !ok {
		return nil, errorf(registry.KindAuth, "ecr token", "token is not USER:PASSWORD")
	}

	if host == "" {
		host = registryID + ".dkr.ecr." + cfg.Region + ".amazonaws.com"
		if pe := aws.ToString(ad.ProxyEndpoint); pe != "" {
			if u, err := url.Parse(pe); err == nil && u.Host != "" {
				host = u.Host
			}
		}
	}
	ref, err := o.parse(withTag(host+"/"+repoWithTag(o.Image, o.AppName, repo), o.Tag))
	if err != nil {
		return nil, err
	}
	return &Target{Registry: ECR, Ref: ref, Auth: &authn.Basic{Username: user, Password: pass}, Identity: aws.ToString(id.Arn)}, nil
}

// repoWithTag puts the tag or digest given in image (if any) on repo.
func repoWithTag(image, appName, repo string) string {
	_, src := SplitHost(image)
	if src == "" {
		return appName
	}
	if i := strings.Index(src, "@"); i >= 0 {
		return repo + src[i:]
	}
	last := src[strings.LastIndex(src, "/")+1:]
	if _, tag, ok := strings.Cut(last, ":"); ok {
		return repo + ":" + tag
	}
	return repo
}

// stripTag drops a :tag or @digest from a repository path.
func stripTag(s string) string {
	if i := strings.Index(s, "@"); i >= 0 {
		s = s[:i]
	}
	slash := strings.LastIndex(s, "/")
	if i := strings.LastIndex(s, ":"); i > slash {
		s = s[:i]
	}
	return s
}
