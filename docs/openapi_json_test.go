package docs

import (
	"encoding/json"
	"strings"
	"testing"
)

// The served JSON is the YAML, key for key, in the YAML's order.
func TestOpenAPIJSON(t *testing.T) {
	b, err := OpenAPIJSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	paths, _ := doc["paths"].(map[string]any)
	if len(paths) < 30 || paths["/api/v1/registrations/{id}"] == nil {
		t.Errorf("paths missing: %d paths", len(paths))
	}
	s := string(b)
	if i, j := strings.Index(s, `"openapi"`), strings.Index(s, `"components"`); i < 0 || j < i {
		t.Errorf("keys out of the YAML's order")
	}
	if !strings.Contains(s, `"type":["integer","null"]`) {
		t.Errorf("type lists not kept as arrays")
	}
}
