package testenv

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps the failures checkContract reports.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

const okMe = `{"id":1,"has_identity":false,"name":"","id_type":"","id_type_name":"","id_number_masked":"",` +
	`"gender":"","birth_date":"","verify_state":"unverified","verify_state_name":"未核验","verify_method":"",` +
	`"identity_locked":false,"phone_masked":"","oa_bound":false}`

// checkContract passes what the contract says and fails, naming the path, the
// status and the schema error, what it does not.
func TestCheckContract(t *testing.T) {
	jsonHeader := http.Header{"Content-Type": {"application/json; charset=UTF-8"}}
	for _, tc := range []struct {
		name, method, path string
		status             int
		body               string
		want               []string // in the failure; none: passes
	}{
		{"documented", "GET", "/api/v1/me", 200, okMe, nil},
		{"undocumented field", "GET", "/api/v1/me", 200, strings.Replace(okMe, `"id":1,`, `"id":1,"openid":"o-1",`, 1),
			[]string{"GET /api/v1/me answered 200", "openid"}},
		{"wrong type", "GET", "/api/v1/me", 200, strings.Replace(okMe, `"id":1`, `"id":"1"`, 1),
			[]string{"GET /api/v1/me answered 200", "/id"}},
		{"missing field", "GET", "/api/v1/me", 200, strings.Replace(okMe, `"oa_bound":false`, `"oa_bound2":false`, 1),
			[]string{"oa_bound"}},
		{"undocumented status", "GET", "/api/v1/me", 418, `{"error":{"code":"x","message":"x","field":""}}`,
			[]string{"GET /api/v1/me answered 418", "418"}},
		{"error shape", "GET", "/api/v1/me", 401, `{"error":{"code":"unauthorized","message":"请先登录","field":""}}`, nil},
		{"bad error shape", "GET", "/api/v1/me", 401, `{"error":{"code":"unauthorized"}}`,
			[]string{"answered 401", "message"}},
		{"undocumented route", "GET", "/api/v1/secret", 200, `{}`, []string{"no such operation"}},
		{"unknown route, refused", "GET", "/api/v1/nothing", 404, `{"error":{"code":"not_found","message":"请求的接口不存在","field":""}}`, nil},
		{"outside the contract", "GET", "/console/plans", 200, `<html>`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, "http://127.0.0.1:1"+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			r := &recorder{TB: t}
			checkContract(r, req, nil, &Response{Status: tc.status, Header: jsonHeader, Body: []byte(tc.body)})
			got := strings.Join(r.errs, "\n")
			if tc.want == nil {
				if got != "" {
					t.Fatalf("want no failure, got:\n%s", got)
				}
				return
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("failure lacks %q:\n%s", w, got)
				}
			}
		})
	}
}
