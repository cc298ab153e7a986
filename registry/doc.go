// Package registry builds daemonless, reproducible OCI images of Jac apps with
// go-containerregistry and pushes them to any OCI registry.
//
// An image has two layers: the runtime layer (the static, runtime-only `jac`
// binary built with -tags slim, plus /etc/passwd, /etc/group, /tmp and the home of
// the non-root user 65532) and the app layer (the app's directory under /app,
// filtered by .gitignore and .jacignore). Every tar entry has a fixed mtime
// (SOURCE_DATE_EPOCH, else the Unix epoch), fixed ownership and sorted names, and
// the gzip streams carry no timestamp, so the same app and CLI give the same digest
// on every machine. The runtime layer does not depend on the app, so an app-only
// change replaces exactly one layer and the runtime layer is never uploaded twice.
//
// Subpackages: auth (DockerHub, Amazon ECR and Google Artifact Registry
// credentials, creating the repository when missing), ignore (.gitignore
// patterns), runtimebin (the runtime binaries embedded at `make` time) and jacbuild
// (the `jac build` command's logic: flags to image to registry, progress, exit codes).
package registry
