package server

import "strings"

// builtinOp documents one built-in route in /openapi.json. Tags, summaries and
// descriptions are the Python jac-scale server's (serve.core.impl.jac,
// serve.static.impl.jac, serve.endpoints.impl.jac at 6b92fb71c9), so generated
// clients and docs group the routes the same way; the routes only we serve
// (logout, health) follow the same style.
type builtinOp struct {
	method, path         string
	tag, summary, desc   string
	auth                 authKind
	params               []builtinParam // path, query and header parameters
	body                 []builtinParam // JSON body fields
	status, okDesc       string         // the success status and its description
	devOnly, metricsOnly bool
}

type authKind int

const (
	authNone     authKind = iota
	authBearer            // a valid token is required
	authOptional          // a token selects the caller's graph; without one, the guest's
)

type builtinParam struct {
	name, in, desc string
	required       bool
	schema         map[string]any
}

var stringSchema = map[string]any{"type": "string"}

func bodyStr(name, desc string) builtinParam {
	return builtinParam{name: name, desc: desc, required: true, schema: stringSchema}
}

func pathStr(name, desc string) builtinParam {
	return builtinParam{name: name, in: "path", desc: desc, required: true, schema: stringSchema}
}

const (
	ssoStartDesc    = "Redirects to the SSO provider for authentication. Supported platforms: Google. Configure each platform by setting SSO_{PLATFORM}_CLIENT_ID and SSO_{PLATFORM}_CLIENT_SECRET environment variables."
	ssoCallbackDesc = "Handles the callback from SSO provider after authentication. If client_auth_callback_url is configured, redirects with token/error params."
)

var builtinOps = []builtinOp{
	{method: "POST", path: "/user/register", tag: "User APIs", summary: "Register user API.", desc: "Endpoint for creating a new user account",
		body: []builtinParam{bodyStr("username", "Username for new user"), bodyStr("password", "Password for new user")}, status: "201", okDesc: "User created"},
	{method: "POST", path: "/user/login", tag: "User APIs", summary: "User login", desc: "Endpoint for user authentication and token generation",
		body: []builtinParam{bodyStr("username", "username for login"), bodyStr("password", "Password for login")}, okDesc: "Token issued"},
	{method: "POST", path: "/user/refresh-token", tag: "User APIs", summary: "Refresh JWT token", desc: "Endpoint for refreshing an existing JWT token. Token must be within the refresh window.",
		body: []builtinParam{bodyStr("token", "JWT token to refresh (with or without Bearer prefix)")}, okDesc: "New token"},
	{method: "PUT", path: "/user/username", tag: "User APIs", summary: "Update username", desc: "Endpoint for updating user's username. Requires authentication.", auth: authBearer,
		body: []builtinParam{bodyStr("current_username", "Current username"), bodyStr("new_username", "New username")}, okDesc: "Username updated"},
	{method: "PUT", path: "/user/password", tag: "User APIs", summary: "Update password", desc: "Endpoint for updating user's password. Requires authentication.", auth: authBearer,
		body: []builtinParam{bodyStr("username", "Username"), bodyStr("current_password", "Current password"), bodyStr("new_password", "New password")}, okDesc: "Password updated"},
	{method: "POST", path: "/user/logout", tag: "User APIs", summary: "User logout", desc: "Revokes the bearer token and every token refreshed from it.", auth: authBearer, okDesc: "Token revoked"},
	{method: "GET", path: "/sso/{platform}/{operation}", tag: "SSO APIs", summary: "Initiate SSO authentication", desc: ssoStartDesc,
		params: []builtinParam{pathStr("platform", "SSO platform: google"), pathStr("operation", `Operation to perform: "login" or "register"`)}, status: "302", okDesc: "Redirect to the provider"},
	{method: "GET", path: "/sso/{platform}/{operation}/callback", tag: "SSO APIs", summary: "SSO callback endpoint", desc: ssoCallbackDesc,
		params: []builtinParam{pathStr("platform", "SSO platform: google"), pathStr("operation", `Operation to perform: "login" or "register"`)}, okDesc: "Signed in"},
	{method: "POST", path: "/api-key/create", tag: "API Keys", summary: "Create a new API key", desc: "Creates a new API key for webhook authentication. The API key is wrapped in a JWT and can be used with HMAC-SHA256 signature verification.", auth: authBearer,
		body: []builtinParam{bodyStr("name", "A friendly name for the API key"), {name: "expiry_days", desc: "Number of days until expiry (default from config)", schema: map[string]any{"type": "integer"}}}, status: "201", okDesc: "API key created"},
	{method: "GET", path: "/api-key/list", tag: "API Keys", summary: "List all API keys", desc: "Lists all API keys for the authenticated user (metadata only, not the actual keys).", auth: authBearer, okDesc: "The caller's API keys"},
	{method: "DELETE", path: "/api-key/{api_key_id}", tag: "API Keys", summary: "Revoke an API key", desc: "Revokes an API key, making it invalid for future webhook requests.", auth: authBearer,
		params: []builtinParam{pathStr("api_key_id", "The ID of the API key to revoke")}, okDesc: "Revoked"},
	{method: "GET", path: "/static/{file_path}", tag: "Static Files", summary: "Serve static files", desc: "Endpoint to serve static files from the server.",
		params: []builtinParam{pathStr("file_path", "Path of the static file to serve")}, okDesc: "The file"},
	{method: "GET", path: "/static/client.js", tag: "Static Files", summary: "Serve client.js", desc: "Endpoint to serve the client-side JavaScript file.", okDesc: "The client bundle"},
	{method: "GET", path: "/cl/{page_name}", tag: "Pages", summary: "Render a page", desc: "Endpoint to render and retrieve a specific page by name at /cl/{name}.",
		params: []builtinParam{pathStr("page_name", "Name of the page to render")}, okDesc: "The page"},
	{method: "GET", path: "/{file_path}", tag: "Static Files", summary: "Serve root-level assets", desc: "Endpoint to serve assets from root path with common extensions (.png, .jpg, .svg, etc.)",
		params: []builtinParam{pathStr("file_path", "Path to asset file (e.g., img.png, icons/logo.svg)")}, okDesc: "The asset"},
	{method: "GET", path: "/graph", tag: "Graph Visualization", summary: "Graph Visualizer", desc: "Interactive graph visualization UI for exploring the backend graph", okDesc: "The viewer page"},
	{method: "GET", path: "/graph/data", tag: "Graph Visualization", summary: "Graph Data", desc: "Returns graph data (nodes and edges) as JSON. With auth: returns user graph. Without auth: returns public graph (super root).", auth: authOptional, okDesc: "Nodes and edges"},
	{method: "GET", path: "/healthz", tag: "Health", summary: "Health check", desc: "Answers while the process serves.", okDesc: "ok"},
	{method: "GET", path: "/healthz/live", tag: "Health", summary: "Liveness probe", desc: "Answers while the process serves.", okDesc: "alive"},
	{method: "GET", path: "/healthz/ready", tag: "Health", summary: "Readiness probe", desc: "503 while starting, draining, or while the store cannot commit.", okDesc: "ready"},
	{method: "GET", path: "/introspect/walkers", tag: "Introspection", summary: "List available walkers", desc: "Returns a list of all available walkers with their field definitions. Supports HMR.", devOnly: true, okDesc: "The walkers"},
	{method: "GET", path: "/introspect/functions", tag: "Introspection", summary: "List available functions", desc: "Returns a list of all available functions with their parameter definitions. Supports HMR.", devOnly: true, okDesc: "The functions"},
	{method: "GET", path: "/introspect/walker/{walker_name}", tag: "Introspection", summary: "Get walker information", desc: "Returns detailed information about a specific walker. Supports HMR.",
		params: []builtinParam{pathStr("walker_name", "Name of the walker to inspect")}, devOnly: true, okDesc: "The walker"},
	{method: "GET", path: "/metrics", tag: "Monitoring", summary: "Prometheus metrics", desc: "Exposes application metrics in Prometheus format for scraping", metricsOnly: true, okDesc: "Prometheus text format"},
}

// operation is the OpenAPI operation object of a built-in route.
func (b builtinOp) operation() map[string]any {
	status := b.status
	if status == "" {
		status = "200"
	}
	op := map[string]any{
		"tags":        []string{b.tag},
		"summary":     b.summary,
		"description": b.desc,
		"operationId": operationID(b.method, b.path),
		"responses":   map[string]any{status: map[string]any{"description": b.okDesc}},
	}
	switch b.auth {
	case authNone:
		op["security"] = []any{}
	case authBearer:
		op["security"] = []any{map[string]any{"bearerAuth": []any{}}}
	case authOptional:
		op["security"] = []any{map[string]any{"bearerAuth": []any{}}, map[string]any{}}
	}
	if len(b.params) > 0 {
		var params []any
		for _, p := range b.params {
			params = append(params, map[string]any{"name": p.name, "in": p.in, "required": p.required, "description": p.desc, "schema": p.schema})
		}
		op["parameters"] = params
	}
	if len(b.body) > 0 {
		props := map[string]any{}
		var required []string
		for _, p := range b.body {
			sc := map[string]any{"description": p.desc}
			for k, v := range p.schema {
				sc[k] = v
			}
			props[p.name] = sc
			if p.required {
				required = append(required, p.name)
			}
		}
		schema := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			schema["required"] = required
		}
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": schema}}}
	}
	return op
}

// operationID names an operation after its method and path, as FastAPI does:
// "POST /user/refresh-token" → "post_user_refresh_token".
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, r := range path {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '{' || r == '}':
		default:
			b.WriteByte('_')
		}
	}
	return strings.TrimRight(b.String(), "_")
}
