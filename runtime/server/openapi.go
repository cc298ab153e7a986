package server

import (
	"net/http"
	"strings"

	swaggerFiles "github.com/swaggo/files/v2"

	"github.com/jacscale/jac/runtime/interp"
)

// schemaOf maps a Jac annotation to a JSON schema.
func schemaOf(th *interp.Thread, t interp.Value) map[string]any {
	if lt, ok := t.(*interp.LazyType); ok {
		t = lt.Resolve(th)
	}
	switch x := t.(type) {
	case nil:
		return map[string]any{}
	case *interp.Class:
		switch x {
		case interp.IntClass:
			return map[string]any{"type": "integer"}
		case interp.FloatClass:
			return map[string]any{"type": "number"}
		case interp.StrClass:
			return map[string]any{"type": "string"}
		case interp.BoolClass:
			return map[string]any{"type": "boolean"}
		case interp.ListClass, interp.TupleClass, interp.SetClass:
			return map[string]any{"type": "array", "items": map[string]any{}}
		case interp.DictClass:
			return map[string]any{"type": "object"}
		case interp.UploadFileClass:
			return map[string]any{"type": "string", "format": "binary"}
		}
		if x.Kind == interp.KindEnum {
			var vals []any
			for _, m := range x.Members() {
				v, _ := interp.LookupAttr(th, m, "value")
				vals = append(vals, encodeValue(th, v))
			}
			return map[string]any{"enum": vals, "title": x.Name}
		}
		if x.Kind.IsArchetype() {
			props := map[string]any{}
			var req []string
			for _, f := range x.Fields {
				if f.PostInit {
					continue
				}
				props[f.Name] = schemaOf(th, f.Type)
				if !f.HasDefault {
					req = append(req, f.Name)
				}
			}
			s := map[string]any{"type": "object", "title": x.Name, "properties": props}
			if len(req) > 0 {
				s["required"] = req
			}
			return s
		}
	case *interp.GenericAlias:
		s := schemaOf(th, x.Origin)
		if args, ok := x.Args.(interp.Tuple); ok && len(args) > 0 {
			if s["type"] == "array" {
				s["items"] = schemaOf(th, args[0])
			} else if s["type"] == "object" && len(args) == 2 {
				s["additionalProperties"] = schemaOf(th, args[1])
			}
		} else if s["type"] == "array" {
			s["items"] = schemaOf(th, x.Args)
		}
		return s
	case *interp.UnionType:
		var alts []any
		for _, a := range x.Args {
			if a == interp.None || a == interp.NoneClass {
				alts = append(alts, map[string]any{"type": "null"})
				continue
			}
			alts = append(alts, schemaOf(th, a))
		}
		return map[string]any{"anyOf": alts}
	}
	return map[string]any{}
}

func (s *Server) openAPI(th *interp.Thread) map[string]any {
	paths := map[string]any{}
	add := func(path, method string, op map[string]any) {
		item, _ := paths[path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[path] = item
		}
		item[strings.ToLower(method)] = op
	}
	s.mu.RLock()
	eps := s.endpoints
	s.mu.RUnlock()
	for _, ep := range eps {
		if ep.protocol == "websocket" {
			continue
		}
		op, params := endpointOperation(th, ep)
		add(ep.path, ep.method, op)
		if ep.walker != nil && ep.protocol == "http" {
			nodeParam := "node_id"
			if ep.hasPathParam(nodeParam) {
				nodeParam = "nd" // the Python server's name for it
			}
			nodeOp := map[string]any{}
			for k, v := range op {
				nodeOp[k] = v
			}
			nodeOp["operationId"] = "walker_" + ep.name + "_on_node"
			nodeOp["parameters"] = append([]any{map[string]any{"name": nodeParam, "in": "path", "required": true, "schema": map[string]any{"type": "string"}}}, params...)
			add(ep.path+"/{"+nodeParam+"}", ep.method, nodeOp)
		}
	}
	for _, b := range builtinOps {
		if (b.devOnly && !s.cfg.Dev) || (b.metricsOnly && !s.cfg.Monitoring.Enabled) {
			continue
		}
		path := b.path
		if b.metricsOnly {
			path = s.cfg.Monitoring.Path
		}
		add(path, b.method, b.operation())
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info":    map[string]any{"title": "Jac API", "version": "1.0.0"},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearerAuth": map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
			"schemas": map[string]any{"Envelope": map[string]any{"type": "object", "properties": map[string]any{
				"ok": map[string]any{"type": "boolean"}, "type": map[string]any{"type": "string"}, "data": map[string]any{}, "error": map[string]any{}}}},
		},
	}
}

// endpointOperation is the OpenAPI operation of a walker, function or webhook,
// and its parameters (path, query, header) apart from the node form's node id.
// Tags are the Python server's ("Walkers", "Functions", "Webhooks"); the
// summary is the endpoint's name and the description its docstring (the Python
// server writes placeholders such as "API Root" there).
func endpointOperation(th *interp.Thread, ep *endpoint) (op map[string]any, params []any) {
	props := map[string]any{}
	var required []string
	for _, p := range ep.params {
		sc := schemaOf(th, p.typ)
		if p.def != nil {
			var d interp.Value
			if th.Protect(func() { d = p.def(th) }) == nil {
				sc["default"] = encodeValue(th, d)
			}
		}
		switch {
		case ep.hasPathParam(p.name):
			params = append(params, map[string]any{"name": p.name, "in": "path", "required": true, "schema": sc})
		case ep.method == http.MethodGet:
			params = append(params, map[string]any{"name": p.name, "in": "query", "required": p.required, "schema": sc})
		default:
			props[p.name] = sc
			if p.required {
				required = append(required, p.name)
			}
		}
	}
	tag := map[string]string{"walker": "Walkers", "function": "Functions"}[ep.kind()]
	if ep.protocol == "webhook" {
		tag = "Webhooks"
	}
	op = map[string]any{
		"summary":     ep.name,
		"operationId": ep.kind() + "_" + ep.name,
		"tags":        []string{tag},
		"responses": map[string]any{
			"200": map[string]any{"description": "Successful response", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Envelope"}}}},
			"422": map[string]any{"description": "Validation error"},
		},
	}
	if ep.doc != "" {
		op["description"] = ep.doc
	}
	if ep.public {
		op["security"] = []any{}
	} else {
		op["security"] = []any{map[string]any{"bearerAuth": []any{}}}
		op["responses"].(map[string]any)["401"] = map[string]any{"description": "Missing or invalid token"}
	}
	if ep.protocol == "webhook" {
		op["summary"] = "Webhook endpoint for " + ep.name
		params = append(params, map[string]any{"name": "X-API-Key", "in": "header", "required": true, "schema": map[string]any{"type": "string"}})
		op["security"] = []any{}
	}
	if ep.method != http.MethodGet {
		bodySchema := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			bodySchema["required"] = required
		}
		op["requestBody"] = map[string]any{"required": len(required) > 0, "content": map[string]any{"application/json": map[string]any{"schema": bodySchema}}}
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	return op, params
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	s.mu.RLock()
	prog := s.prog
	s.mu.RUnlock()
	prog.Lock()
	th := interp.NewThread(r.Context(), prog, s.out)
	spec := s.openAPI(th)
	prog.Unlock()
	writeJSON(w, http.StatusOK, spec)
	return nil
}

const swaggerPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Jac API - Swagger UI</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "BaseLayout"});</script>
</body></html>`

func (s *Server) handleDocs(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(swaggerPage))
	return nil
}

func (s *Server) handleDocsAssets(w http.ResponseWriter, r *http.Request) error {
	http.StripPrefix("/docs/", http.FileServerFS(swaggerFiles.FS)).ServeHTTP(w, r)
	return nil
}

// The ReDoc page is a small self-contained renderer of /openapi.json (no CDN).
const redocPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Jac API - Reference</title>
<style>body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}
h2{border-bottom:1px solid #ddd;padding-bottom:.2em}.op{margin:1em 0;padding:.6em 1em;border:1px solid #e3e3e3;border-radius:6px}
.m{display:inline-block;min-width:4em;font-weight:bold;color:#fff;background:#3b7;border-radius:4px;padding:0 .4em;text-align:center}
.m.get{background:#37b}.m.put{background:#b73}.m.delete{background:#b33}code{background:#f5f5f5;padding:0 .3em}
table{border-collapse:collapse}td,th{border:1px solid #eee;padding:.2em .6em;text-align:left}</style></head>
<body><h1 id="title">API reference</h1><div id="ops">Loading /openapi.json...</div>
<script>
fetch("/openapi.json").then(r => r.json()).then(spec => {
  document.getElementById("title").textContent = spec.info.title + " " + spec.info.version;
  const out = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const body = op.requestBody && op.requestBody.content["application/json"].schema;
      let rows = "";
      const props = body ? body.properties || {} : {};
      const req = body ? body.required || [] : [];
      for (const [name, sc] of Object.entries(props)) {
        rows += "<tr><td><code>" + name + "</code></td><td>" + (sc.type || JSON.stringify(sc)) + "</td><td>" + (req.includes(name) ? "yes" : "no") + "</td><td>" + (sc.default !== undefined ? JSON.stringify(sc.default) : "") + "</td></tr>";
      }
      for (const p of op.parameters || []) {
        rows += "<tr><td><code>" + p.name + "</code> (" + p.in + ")</td><td>" + (p.schema.type || "") + "</td><td>" + (p.required ? "yes" : "no") + "</td><td></td></tr>";
      }
      const auth = op.security && op.security.length ? "bearer token" : "public";
      out.push('<div class="op"><span class="m ' + method + '">' + method.toUpperCase() + "</span> <code>" + path + "</code> <em>(" + auth + ")</em>" +
        (op.description ? "<p>" + op.description + "</p>" : "") +
        (rows ? "<table><tr><th>field</th><th>type</th><th>required</th><th>default</th></tr>" + rows + "</table>" : "") + "</div>");
    }
  }
  document.getElementById("ops").innerHTML = out.join("");
});
</script></body></html>`

func (s *Server) handleRedoc(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(redocPage))
	return nil
}
