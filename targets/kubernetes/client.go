package kubernetes

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"

	"github.com/jacscale/jac/infra/settings"
)

// Client reads objects from the API server of a kubeconfig context: enough for
// `jac status` (the Deployment's live replica counts), without client-go. It
// supports what a kubeconfig states directly (server, CA, bearer token or token
// file, client certificate); credential plugins (exec) are not run.
type Client struct {
	server string
	token  string
	http   *http.Client
}

type kubeconfigDetail struct {
	Clusters []struct {
		Name    string `yaml:"name"`
		Cluster struct {
			Server   string `yaml:"server"`
			CAData   string `yaml:"certificate-authority-data"`
			CAFile   string `yaml:"certificate-authority"`
			Insecure bool   `yaml:"insecure-skip-tls-verify"`
		} `yaml:"cluster"`
	} `yaml:"clusters"`
	Users []struct {
		Name string `yaml:"name"`
		User struct {
			Token     string `yaml:"token"`
			TokenFile string `yaml:"tokenFile"`
			CertData  string `yaml:"client-certificate-data"`
			CertFile  string `yaml:"client-certificate"`
			KeyData   string `yaml:"client-key-data"`
			KeyFile   string `yaml:"client-key"`
			Exec      any    `yaml:"exec"`
		} `yaml:"user"`
	} `yaml:"users"`
	Contexts []struct {
		Name    string `yaml:"name"`
		Context struct {
			Cluster string `yaml:"cluster"`
			User    string `yaml:"user"`
		} `yaml:"context"`
	} `yaml:"contexts"`
}

// pemOf is inline base64 data, else the file's contents, else nil.
func pemOf(data, file string) ([]byte, error) {
	if data != "" {
		return base64.StdEncoding.DecodeString(data)
	}
	if file != "" {
		return os.ReadFile(file)
	}
	return nil, nil
}

// NewClient makes a client for the kubeconfig's context.
func NewClient(kc *Kubeconfig) (*Client, error) {
	var f kubeconfigDetail
	if err := yaml.Unmarshal(kc.Data, &f); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", settings.ErrConfig, kc.Path, err)
	}
	var clusterName, userName string
	for _, c := range f.Contexts {
		if c.Name == kc.Context {
			clusterName, userName = c.Context.Cluster, c.Context.User
		}
	}
	cl := &Client{}
	tlsConf := &tls.Config{}
	for _, c := range f.Clusters {
		if c.Name != clusterName {
			continue
		}
		cl.server = strings.TrimSuffix(c.Cluster.Server, "/")
		tlsConf.InsecureSkipVerify = c.Cluster.Insecure
		ca, err := pemOf(c.Cluster.CAData, c.Cluster.CAFile)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: cluster %s CA: %w", settings.ErrConfig, kc.Path, c.Name, err)
		}
		if ca != nil {
			tlsConf.RootCAs = x509.NewCertPool()
			tlsConf.RootCAs.AppendCertsFromPEM(ca)
		}
	}
	if cl.server == "" {
		return nil, fmt.Errorf("%w: %s: context %s has no cluster server", settings.ErrConfig, kc.Path, kc.Context)
	}
	for _, u := range f.Users {
		if u.Name != userName {
			continue
		}
		if u.User.Exec != nil {
			return nil, fmt.Errorf("%w: %s: user %s uses a credential plugin (exec), which jac does not run", settings.ErrConfig, kc.Path, u.Name)
		}
		cl.token = u.User.Token
		if cl.token == "" && u.User.TokenFile != "" {
			b, err := os.ReadFile(u.User.TokenFile)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrAuth, err)
			}
			cl.token = strings.TrimSpace(string(b))
		}
		cert, err := pemOf(u.User.CertData, u.User.CertFile)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrAuth, err)
		}
		key, err := pemOf(u.User.KeyData, u.User.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrAuth, err)
		}
		if cert != nil && key != nil {
			pair, err := tls.X509KeyPair(cert, key)
			if err != nil {
				return nil, fmt.Errorf("%w: client certificate: %w", ErrAuth, err)
			}
			tlsConf.Certificates = []tls.Certificate{pair}
		}
	}
	cl.http = &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsConf}}
	return cl, nil
}

// Get decodes the object at the API path (/apis/apps/v1/namespaces/NS/deployments/NAME)
// into v.
func (c *Client) Get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.server+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return err
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return fmt.Errorf("%w: GET %s: %s", ErrAuth, path, resp.Status)
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("GET %s: %s: %s", path, resp.Status, strings.TrimSpace(string(body)))
	}
	return json.Unmarshal(body, v)
}
