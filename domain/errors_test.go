package domain

import (
	"errors"
	"maps"
	"testing"
)

// TestFieldMessages: a form shows the first message of each field; an
// invalid error without fields shows its message at the top; anything but a
// validation error is not a form's business.
func TestFieldMessages(t *testing.T) {
	err := InvalidFields([]FieldError{
		{Field: "phone", Code: "invalid", Message: "手机号码格式不正确"},
		{Field: "phone", Code: "required", Message: "请填写手机号码"},
		{Field: "employer", Code: "required", Message: "请填写工作单位"},
	})
	got, ok := FieldMessages(err)
	want := map[string]string{"phone": "手机号码格式不正确", "employer": "请填写工作单位"}
	if !ok || !maps.Equal(got, want) {
		t.Fatalf("FieldMessages = %v, %v; want %v", got, ok, want)
	}
	got, ok = FieldMessages(NewError(KindInvalid, "bad", "请求有误"))
	if !ok || !maps.Equal(got, map[string]string{"": "请求有误"}) {
		t.Fatalf("no fields: %v, %v", got, ok)
	}
	for _, e := range []error{nil, errors.New("x"), NotFound("gone", "不存在"), Conflict("busy", "冲突")} {
		if got, ok := FieldMessages(e); ok || got != nil {
			t.Fatalf("FieldMessages(%v) = %v, %v; want nil, false", e, got, ok)
		}
	}
}
