package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
)

// apiError is an error with its HTTP status and body. Handlers return errors;
// serveError turns any error into a response in one place.
type apiError struct {
	status  int
	code    string
	message string
	details any
	plain   any // a non-envelope body (404/405/422 are plain JSON)
	header  http.Header
}

func (e *apiError) Error() string { return e.message }

func envelopeErr(status int, code, msg string) *apiError {
	return &apiError{status: status, code: code, message: msg}
}

func errUnauthorized(msg string) *apiError {
	if msg == "" {
		msg = "Invalid or missing token"
	}
	return envelopeErr(http.StatusUnauthorized, "UNAUTHORIZED", msg)
}

var errNotFound = &apiError{status: http.StatusNotFound, plain: map[string]any{"detail": "Not Found"}}

// validationItem is one entry of a 422 detail list.
type validationItem struct {
	Type  string `json:"type"`
	Loc   []any  `json:"loc"`
	Msg   string `json:"msg"`
	Input any    `json:"input,omitempty"`
}

func errValidation(items ...validationItem) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, plain: map[string]any{"detail": items}}
}

func missing(loc ...any) validationItem {
	return validationItem{Type: "missing", Loc: loc, Msg: "Field required"}
}

// envelope is the success / error wrapper of API responses.
type envelope struct {
	OK    bool           `json:"ok"`
	Type  string         `json:"type"`
	Data  any            `json:"data"`
	Error *envelopeError `json:"error"`
	Meta  map[string]any `json:"meta,omitempty"`
}

type envelopeError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details any    `json:"details,omitempty"`
	TraceID string `json:"trace_id,omitempty"` // when the request is traced
}

// jsonContentType is the Content-Type header value of JSON answers, shared
// by every response (Header().Set would allocate it per response; Set and Add
// replace or copy it, never write into it).
var jsonContentType = []string{"application/json"}

func writeJSON(w http.ResponseWriter, status int, body any) {
	data, err := json.Marshal(body)
	if err != nil {
		status = http.StatusInternalServerError
		data = []byte(`{"ok":false,"type":"error","data":null,"error":{"code":"INTERNAL_ERROR","message":"response not serializable"}}`)
	}
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	w.Write(data)
}

func writeOK(w http.ResponseWriter, status int, data any) {
	writeJSON(w, status, envelope{OK: true, Type: "response", Data: data})
}

func serveError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		slog.ErrorContext(r.Context(), "request failed", "path", r.URL.Path, "err", err)
		ae = envelopeErr(http.StatusInternalServerError, "INTERNAL_ERROR", err.Error())
	}
	for k, vs := range ae.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if ae.plain != nil {
		writeJSON(w, ae.status, ae.plain)
		return
	}
	writeJSON(w, ae.status, envelope{OK: false, Type: "error", Error: &envelopeError{Code: ae.code, Message: ae.message, Details: ae.details, TraceID: traceID(r.Context())}})
}

// handlerFunc is a handler that returns an error.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (f handlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := f(w, r); err != nil {
		serveError(w, r, err)
	}
}
