package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"skillcert/docs"
)

// APIPrefix is the part of the URL space that docs/openapi.yaml describes.
const APIPrefix = "/api/v1"

// Contract is the parsed docs/openapi.yaml with a router over its operations.
type Contract struct {
	Doc    *openapi3.T
	router routers.Router
}

// contract is parsed once per test binary: every client checks against it.
var contract struct {
	once sync.Once
	c    *Contract
	err  error
}

// binaryTypes are the download types of the contract; their bodies are checked
// as strings (the status, type and headers are what the contract says of them).
var binaryTypes = []string{"application/pdf", "image/jpeg", "image/png", "application/zip",
	"application/vnd.rar", "application/x-7z-compressed"}

// LoadContract parses and validates docs/openapi.yaml (once).
func LoadContract() (*Contract, error) {
	contract.once.Do(func() {
		for _, ct := range binaryTypes {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(docs.OpenAPI)
		if err != nil {
			contract.err = fmt.Errorf("docs/openapi.yaml: %w", err)
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			contract.err = fmt.Errorf("docs/openapi.yaml is not valid OpenAPI: %w", err)
			return
		}
		// Routes are matched on the request path alone, whatever host the
		// test server has: the contract's paths carry the /api/v1 prefix.
		routed := *doc
		routed.Servers = nil
		r, err := legacy.NewRouter(&routed)
		if err != nil {
			contract.err = fmt.Errorf("docs/openapi.yaml: %w", err)
			return
		}
		contract.c = &Contract{Doc: doc, router: r}
	})
	return contract.c, contract.err
}

// checkContract fails the test when an answer of the API does not match
// docs/openapi.yaml: an undocumented route, status, header or field, or a
// value of the wrong type. A request the server accepted (2xx) must match the
// documented request too (path and query parameters, JSON bodies). Answers
// outside /api/v1 (console, web, chat) are not part of the contract.
func checkContract(t testing.TB, req *http.Request, reqBody []byte, res *Response) {
	t.Helper()
	p := req.URL.Path
	if p != APIPrefix && !strings.HasPrefix(p, APIPrefix+"/") {
		return
	}
	c, err := LoadContract()
	if err != nil {
		t.Errorf("OpenAPI contract: %v", err)
		return
	}
	what := fmt.Sprintf("OpenAPI contract (docs/openapi.yaml): %s %s answered %d", req.Method, p, res.Status)
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		var re *routers.RouteError
		if errors.As(err, &re) && (res.Status == http.StatusNotFound || res.Status == http.StatusMethodNotAllowed) {
			// The server does not have it either: its answer is still the error shape.
			if err := c.checkError(res.Body); err != nil {
				t.Errorf("%s, not the Error shape: %v\nbody: %s", what, err, clip(res.Body))
			}
			return
		}
		t.Errorf("%s, but the contract has no such operation (%v): document it", what, err)
		return
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			MultiError:         true,
		},
	}
	if res.Status >= 200 && res.Status < 300 {
		rq := req.Clone(req.Context())
		rq.Body = io.NopCloser(bytes.NewReader(reqBody))
		in.Request = rq
		in.Options.ExcludeRequestBody = !strings.HasPrefix(req.Header.Get("Content-Type"), "application/json")
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s, but the request it accepted does not match the contract:\n%v", what, err)
		}
		in.Request = req
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 res.Status,
		Header:                 res.Header,
		Body:                   io.NopCloser(bytes.NewReader(res.Body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s (operation %s), which does not match the contract:\n%v\nbody: %s",
			what, route.Operation.OperationID, err, clip(res.Body))
	}
}

// checkError validates a body against components.schemas.Error.
func (c *Contract) checkError(body []byte) error {
	s := c.Doc.Components.Schemas["Error"]
	if s == nil || s.Value == nil {
		return errors.New("the contract has no Error schema")
	}
	v, err := decodeJSON(body)
	if err != nil {
		return err
	}
	return s.Value.VisitJSON(v, openapi3.EnableJSONSchema2020(), openapi3.MultiErrors())
}

func decodeJSON(b []byte) (any, error) {
	var v any
	d := jsonDecoder(b)
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	return v, nil
}

// clip shortens a body for a failure message.
func clip(b []byte) string {
	const max = 2000
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

func jsonDecoder(b []byte) *json.Decoder {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d
}
