package registry

import "time"

// Event is one step of a build or push, printed as a line on a terminal or as one
// JSON object per line with --json.
type Event struct {
	Time     time.Time `json:"time"`
	Type     string    `json:"event"`              // layer, image, index, blob, manifest, progress, pushed, sbom, tarball, auth, repository, error, done
	Platform string    `json:"platform,omitempty"` // linux/amd64
	Layer    string    `json:"layer,omitempty"`    // runtime, app, base
	Digest   string    `json:"digest,omitempty"`
	Size     int64     `json:"size,omitempty"`   // compressed bytes
	Status   string    `json:"status,omitempty"` // blob: exists, uploaded, mounted; repository: exists, created
	Ref      string    `json:"ref,omitempty"`
	Complete int64     `json:"complete,omitempty"` // progress: bytes uploaded so far
	Total    int64     `json:"total,omitempty"`    // progress: bytes to upload
	Speed    float64   `json:"bytes_per_second,omitempty"`
	Elapsed  float64   `json:"elapsed_seconds,omitempty"`
	Message  string    `json:"message,omitempty"`
	Kind     string    `json:"kind,omitempty"`      // error: input, auth, not_found, network, error
	Exit     int       `json:"exit_code,omitempty"` // error: the process exit status
}
