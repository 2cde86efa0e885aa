package domain

import (
	"strings"
	"testing"
)

func TestTransition(t *testing.T) {
	// The full matrix: every status against every action. Cells not listed are refused.
	allowed := map[Status]map[Action]Status{
		StatusDraft: {ActionSubmit: StatusSubmitted, ActionCancel: StatusCancelled},
		StatusSubmitted: {
			ActionApprove: StatusApproved, ActionReturn: StatusReturned, ActionReject: StatusRejected,
			ActionCancel: StatusCancelled, ActionCancelByInstitution: StatusCancelled,
		},
		StatusReturned: {
			ActionSubmit: StatusSubmitted, ActionCancel: StatusCancelled,
			ActionCancelByInstitution: StatusCancelled,
		},
		StatusApproved:  {ActionCancelByInstitution: StatusCancelled},
		StatusRejected:  {},
		StatusCancelled: {},
	}
	for _, from := range append(Statuses(), "", "unknown") {
		for _, action := range append(Actions(), "", "delete") {
			want, ok := allowed[from][action]
			got, err := Transition(from, action)
			if ok {
				if err != nil || got != want {
					t.Errorf("Transition(%q, %q) = %q, %v; want %q", from, action, got, err, want)
				}
				if !CanTransition(from, action) {
					t.Errorf("CanTransition(%q, %q) = false", from, action)
				}
				continue
			}
			if err == nil {
				t.Errorf("Transition(%q, %q) = %q; want refusal", from, action, got)
				continue
			}
			if got != "" || de(err).Kind != KindConflict || de(err).Code != "status_conflict" {
				t.Errorf("Transition(%q, %q) = %q, %+v", from, action, got, err)
			}
			if !strings.HasPrefix(de(err).Message, "报名当前状态为“") || de(err).Details["from"] != string(from) {
				t.Errorf("Transition(%q, %q) message %q details %v", from, action, de(err).Message, de(err).Details)
			}
			if CanTransition(from, action) {
				t.Errorf("CanTransition(%q, %q) = true", from, action)
			}
		}
	}
}

func TestTransitionMessage(t *testing.T) {
	_, err := Transition(StatusApproved, ActionSubmit)
	if err == nil || de(err).Message != "报名当前状态为“审核通过”，不能提交" {
		t.Errorf("message = %v", err)
	}
	_, err = Transition(StatusRejected, ActionCancel)
	if err == nil || de(err).Message != "报名当前状态为“审核不通过”，不能撤销" {
		t.Errorf("message = %v", err)
	}
}

func TestTransitionTableListsEachPairOnce(t *testing.T) {
	seen := map[[2]string]bool{}
	for _, tr := range transitions {
		k := [2]string{string(tr.from), string(tr.action)}
		if seen[k] {
			t.Errorf("transition %v listed twice", k)
		}
		seen[k] = true
		if !tr.from.Valid() || !tr.to.Valid() || !tr.action.Valid() {
			t.Errorf("transition %+v uses an unknown status or action", tr)
		}
	}
}

func TestStatusProperties(t *testing.T) {
	tests := []struct {
		s        Status
		name     string
		seat     bool
		editable bool
	}{
		{StatusDraft, "已保存", false, true},
		{StatusSubmitted, "已提交（待审核）", true, false},
		{StatusApproved, "审核通过", true, false},
		{StatusReturned, "退回修改", true, true},
		{StatusRejected, "审核不通过", false, false},
		{StatusCancelled, "已撤销", false, false},
		{"unknown", "", false, false},
		{"", "", false, false},
	}
	for _, tt := range tests {
		if tt.s.Name() != tt.name || tt.s.HoldsSeat() != tt.seat || tt.s.EditableByCandidate() != tt.editable ||
			tt.s.Valid() != (tt.name != "") {
			t.Errorf("%q: name %q seat %v editable %v valid %v", tt.s, tt.s.Name(), tt.s.HoldsSeat(),
				tt.s.EditableByCandidate(), tt.s.Valid())
		}
		got, err := ParseStatus(string(tt.s))
		if (err == nil) != (tt.name != "") || (err == nil && got != tt.s) {
			t.Errorf("ParseStatus(%q) = %q, %v", tt.s, got, err)
		}
		if err != nil && de(err).Field != FieldStatus {
			t.Errorf("ParseStatus field = %q", de(err).Field)
		}
	}
	if opts := StatusOptions(); len(opts) != 6 || opts[1] != (Option{"submitted", "已提交（待审核）"}) {
		t.Errorf("StatusOptions() = %v", opts)
	}
}

func TestSeatDelta(t *testing.T) {
	tests := []struct {
		from, to Status
		want     int
	}{
		{StatusDraft, StatusSubmitted, 1},
		{StatusReturned, StatusSubmitted, 0},
		{StatusSubmitted, StatusApproved, 0},
		{StatusSubmitted, StatusReturned, 0},
		{StatusSubmitted, StatusRejected, -1},
		{StatusSubmitted, StatusCancelled, -1},
		{StatusApproved, StatusCancelled, -1},
		{StatusReturned, StatusCancelled, -1},
		{StatusDraft, StatusCancelled, 0},
	}
	for _, tt := range tests {
		if got := SeatDelta(tt.from, tt.to); got != tt.want {
			t.Errorf("SeatDelta(%q, %q) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
	// Every allowed transition moves the seat count by at most one.
	for _, tr := range transitions {
		if d := SeatDelta(tr.from, tr.to); d < -1 || d > 1 {
			t.Errorf("%+v moves seats by %d", tr, d)
		}
	}
}

func TestAllowedActions(t *testing.T) {
	tests := []struct {
		from Status
		want []Action
	}{
		{StatusDraft, []Action{ActionSubmit, ActionCancel}},
		{StatusSubmitted, []Action{ActionApprove, ActionReturn, ActionReject, ActionCancel, ActionCancelByInstitution}},
		{StatusReturned, []Action{ActionSubmit, ActionCancel, ActionCancelByInstitution}},
		{StatusApproved, []Action{ActionCancelByInstitution}},
		{StatusRejected, nil},
		{StatusCancelled, nil},
	}
	for _, tt := range tests {
		got := AllowedActions(tt.from)
		if strings.Join(actionStrings(got), ",") != strings.Join(actionStrings(tt.want), ",") {
			t.Errorf("AllowedActions(%q) = %v, want %v", tt.from, got, tt.want)
		}
	}
}

func actionStrings(as []Action) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
	}
	return out
}
