//go:build slim

package main

// The slim binary is the whole filesystem of an app image: there is no
// /etc/ssl/certs and no /usr/share/zoneinfo. These two imports carry a CA bundle
// (used only when the system has none) and the time zone database, so HTTPS calls
// (SSO discovery, webhooks) and datetime with zones work in the container.
import (
	_ "time/tzdata"

	_ "golang.org/x/crypto/x509roots/fallback"
)
