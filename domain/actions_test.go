package domain

import "testing"

func TestActions(t *testing.T) {
	tests := []struct {
		a     Action
		name  string
		actor Actor
		event string
	}{
		{ActionSubmit, "提交", ActorCandidate, "registration.submitted"},
		{ActionApprove, "审核通过", ActorInstitution, "registration.approved"},
		{ActionReturn, "退回修改", ActorInstitution, "registration.returned"},
		{ActionReject, "审核不通过", ActorInstitution, "registration.rejected"},
		{ActionCancel, "撤销", ActorCandidate, "registration.cancelled"},
		{ActionCancelByInstitution, "由机构撤销", ActorInstitution, "registration.cancelled_by_institution"},
		{"delete", "", "", ""},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		if tt.a.Name() != tt.name || tt.a.Actor() != tt.actor || tt.a.EventKind() != tt.event ||
			tt.a.Valid() != (tt.name != "") {
			t.Errorf("%q: name %q actor %q event %q valid %v", tt.a, tt.a.Name(), tt.a.Actor(),
				tt.a.EventKind(), tt.a.Valid())
		}
		got, err := ParseAction(string(tt.a))
		if (err == nil) != (tt.name != "") || (err == nil && got != tt.a) {
			t.Errorf("ParseAction(%q) = %q, %v", tt.a, got, err)
		}
	}
	if len(Actions()) != 6 {
		t.Errorf("Actions() = %v", Actions())
	}
}
