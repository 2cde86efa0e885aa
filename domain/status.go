package domain

import "fmt"

// Status is the state of a registration (报名状态), stored as its code.
type Status string

// Registration statuses.
const (
	StatusDraft     Status = "draft"     // 已保存
	StatusSubmitted Status = "submitted" // 已提交（待审核）
	StatusApproved  Status = "approved"  // 审核通过
	StatusReturned  Status = "returned"  // 退回修改
	StatusRejected  Status = "rejected"  // 审核不通过
	StatusCancelled Status = "cancelled" // 已撤销
)

// statusRow describes one status: its name, whether it holds a seat of the plan
// and whether the candidate may edit the form.
type statusRow struct {
	status   Status
	name     string
	seat     bool
	editable bool
}

// statusInfo lists each status once, in lifecycle order.
var statusInfo = []statusRow{
	{StatusDraft, "已保存", false, true},
	{StatusSubmitted, "已提交（待审核）", true, false},
	{StatusApproved, "审核通过", true, false},
	{StatusReturned, "退回修改", true, true},
	{StatusRejected, "审核不通过", false, false},
	{StatusCancelled, "已撤销", false, false},
}

// Statuses returns every registration status in lifecycle order.
func Statuses() []Status {
	out := make([]Status, 0, len(statusInfo))
	for _, s := range statusInfo {
		out = append(out, s.status)
	}
	return out
}

// StatusOptions returns the statuses as filter options (code and name).
func StatusOptions() []Option {
	out := make([]Option, 0, len(statusInfo))
	for _, s := range statusInfo {
		out = append(out, Option{Code: string(s.status), Name: s.name})
	}
	return out
}

// ParseStatus reads a status code; the error names the field "status".
func ParseStatus(s string) (Status, error) {
	if st := Status(s); st.Valid() {
		return st, nil
	}
	return "", Invalid(FieldStatus, "status_invalid", "报名状态不正确")
}

// row returns the description of s; the zero row for an unknown status.
func (s Status) row() statusRow {
	for _, r := range statusInfo {
		if r.status == s {
			return r
		}
	}
	return statusRow{}
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s != "" && s.row().status == s }

// Name returns the Chinese name shown to people, e.g. "退回修改"; "" when unknown.
func (s Status) Name() string { return s.row().name }

// HoldsSeat reports whether a registration in this status counts against the plan's
// maximum (submitted, approved, returned): a seat is held from submit until
// rejection or cancellation.
func (s Status) HoldsSeat() bool { return s.row().seat }

// EditableByCandidate reports whether the candidate may change the form (draft, returned).
func (s Status) EditableByCandidate() bool { return s.row().editable }

// SeatDelta returns how a change from one status to another moves the plan's seat
// count: +1 when a seat is taken, -1 when it is given back, 0 otherwise.
func SeatDelta(from, to Status) int {
	switch {
	case !from.HoldsSeat() && to.HoldsSeat():
		return 1
	case from.HoldsSeat() && !to.HoldsSeat():
		return -1
	}
	return 0
}

// transitions is the registration state machine: every allowed (from, action) pair,
// once, with the status it leads to.
var transitions = []struct {
	from   Status
	action Action
	to     Status
}{
	{StatusDraft, ActionSubmit, StatusSubmitted},
	{StatusReturned, ActionSubmit, StatusSubmitted},
	{StatusSubmitted, ActionApprove, StatusApproved},
	{StatusSubmitted, ActionReturn, StatusReturned},
	{StatusSubmitted, ActionReject, StatusRejected},
	{StatusDraft, ActionCancel, StatusCancelled},
	{StatusSubmitted, ActionCancel, StatusCancelled},
	{StatusReturned, ActionCancel, StatusCancelled},
	{StatusSubmitted, ActionCancelByInstitution, StatusCancelled},
	{StatusApproved, ActionCancelByInstitution, StatusCancelled},
	{StatusReturned, ActionCancelByInstitution, StatusCancelled},
}

// Transition returns the status that action leads to from status from. When the
// machine does not allow it the error is a Conflict ("status_conflict") whose
// Chinese message names the current status and the refused action.
func Transition(from Status, action Action) (Status, error) {
	for _, t := range transitions {
		if t.from == from && t.action == action {
			return t.to, nil
		}
	}
	fromName, actName := from.Name(), action.Name()
	if fromName == "" {
		fromName = "未知状态"
	}
	if actName == "" {
		actName = "执行该操作"
	}
	e := Conflict("status_conflict", fmt.Sprintf("报名当前状态为“%s”，不能%s", fromName, actName))
	e.Details = map[string]any{"from": string(from), "action": string(action)}
	return "", e
}

// CanTransition reports whether action is allowed from status from.
func CanTransition(from Status, action Action) bool {
	_, err := Transition(from, action)
	return err == nil
}

// AllowedActions returns the actions allowed from a status, in table order, so that
// the mini-program and the console show only the buttons that work.
func AllowedActions(from Status) []Action {
	var out []Action
	for _, t := range transitions {
		if t.from == from {
			out = append(out, t.action)
		}
	}
	return out
}
