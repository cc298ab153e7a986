package project

import (
	"os"

	toml "github.com/pelletier/go-toml/v2"
)

// Storage is store()'s object-store backend: [storage] of jac.toml, then the
// JAC_STORAGE_* variables. The runtime reads it (runtime/stdlib/storage) and so does
// `--scale`, which passes it to the pods (infra/settings).
type Storage struct {
	Type     string `toml:"storage_type"`
	Bucket   string `toml:"bucket"`
	Prefix   string `toml:"prefix"`
	Region   string `toml:"region"`
	Endpoint string `toml:"endpoint"`
}

// ReadStorage reads [storage] of the jac.toml at path ("" for none), then the
// variables getenv returns.
func ReadStorage(path string, getenv func(string) string) Storage {
	var t struct {
		Storage Storage `toml:"storage"`
	}
	if path != "" {
		if data, err := os.ReadFile(path); err == nil {
			toml.Unmarshal(data, &t)
		}
	}
	st := t.Storage
	for env, dst := range map[string]*string{"JAC_STORAGE_TYPE": &st.Type, "JAC_STORAGE_BUCKET": &st.Bucket,
		"JAC_STORAGE_PREFIX": &st.Prefix, "JAC_STORAGE_REGION": &st.Region, "JAC_STORAGE_ENDPOINT": &st.Endpoint} {
		if v := getenv(env); v != "" {
			*dst = v
		}
	}
	return st
}
