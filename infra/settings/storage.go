package settings

import "github.com/jacscale/jac/internal/project"

// Storage is store()'s [storage] backend as the pods need it: its settings go
// to the app's environment, the deployer's cloud credentials for it to the
// app's Secret. On GKE and EKS prefer Workload Identity / IRSA (no keys).
type Storage project.Storage

// loadStorage reads [storage] of the jac.toml at path ("" for none), then
// the deployer's JAC_STORAGE_* variables.
func loadStorage(path string, getenv func(string) string) Storage {
	return Storage(project.ReadStorage(path, getenv))
}

// Cloud reports whether the backend is an object store.
func (st Storage) Cloud() bool { return st.Type == "s3" || st.Type == "gcs" }

// Env is the pods' JAC_STORAGE_* environment (empty for the local backend).
func (st Storage) Env() map[string]string {
	if !st.Cloud() {
		return nil
	}
	env := map[string]string{"JAC_STORAGE_TYPE": st.Type, "JAC_STORAGE_BUCKET": st.Bucket}
	for k, v := range map[string]string{"JAC_STORAGE_PREFIX": st.Prefix, "JAC_STORAGE_REGION": st.Region, "JAC_STORAGE_ENDPOINT": st.Endpoint} {
		if v != "" {
			env[k] = v
		}
	}
	return env
}

// storageCredentials are the deployer's variables an S3 client reads.
var storageCredentials = []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}

// Credentials are the deployer's S3 keys, for the app's Secret (none for GCS:
// the pods use Application Default Credentials, Workload Identity on GKE).
func (st Storage) Credentials(getenv func(string) string) map[string]string {
	if st.Type != "s3" {
		return nil
	}
	out := map[string]string{}
	for _, k := range storageCredentials {
		if v := getenv(k); v != "" {
			out[k] = v
		}
	}
	return out
}
