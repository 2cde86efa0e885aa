package domain

// Action is something done to a registration that may change its status.
type Action string

// Registration actions.
const (
	ActionSubmit              Action = "submit"                // candidate: 提交 (also resubmit after 退回修改)
	ActionApprove             Action = "approve"               // institution: 审核通过
	ActionReturn              Action = "return"                // institution: 退回修改, with a reason
	ActionReject              Action = "reject"                // institution: 审核不通过
	ActionCancel              Action = "cancel"                // candidate: 撤销
	ActionCancelByInstitution Action = "cancel_by_institution" // institution: 撤销报名
)

// Actor says who performs an action.
type Actor string

// Actors of registration actions.
const (
	ActorCandidate   Actor = "candidate"
	ActorInstitution Actor = "institution"
)

// Outbox event kinds, one per action; the dispatcher turns them into WeChat messages.
const (
	EventRegistrationSubmitted              = "registration.submitted"
	EventRegistrationApproved               = "registration.approved"
	EventRegistrationReturned               = "registration.returned"
	EventRegistrationRejected               = "registration.rejected"
	EventRegistrationCancelled              = "registration.cancelled"
	EventRegistrationCancelledByInstitution = "registration.cancelled_by_institution"
)

// actionRow describes one action: the verb shown in messages, who may do it and
// the outbox event it emits.
type actionRow struct {
	action Action
	name   string
	actor  Actor
	event  string
}

// actionInfo lists each action once.
var actionInfo = []actionRow{
	{ActionSubmit, "提交", ActorCandidate, EventRegistrationSubmitted},
	{ActionApprove, "审核通过", ActorInstitution, EventRegistrationApproved},
	{ActionReturn, "退回修改", ActorInstitution, EventRegistrationReturned},
	{ActionReject, "审核不通过", ActorInstitution, EventRegistrationRejected},
	{ActionCancel, "撤销", ActorCandidate, EventRegistrationCancelled},
	{ActionCancelByInstitution, "由机构撤销", ActorInstitution, EventRegistrationCancelledByInstitution},
}

// Actions returns every registration action.
func Actions() []Action {
	out := make([]Action, 0, len(actionInfo))
	for _, a := range actionInfo {
		out = append(out, a.action)
	}
	return out
}

// ParseAction reads an action code; the error names the field "action".
func ParseAction(s string) (Action, error) {
	if a := Action(s); a.Valid() {
		return a, nil
	}
	return "", Invalid(FieldAction, "action_invalid", "操作不正确")
}

// row returns the description of a; the zero row for an unknown action.
func (a Action) row() actionRow {
	for _, r := range actionInfo {
		if r.action == a {
			return r
		}
	}
	return actionRow{}
}

// Valid reports whether a is a known action.
func (a Action) Valid() bool { return a != "" && a.row().action == a }

// Name returns the Chinese verb of the action, e.g. "提交"; "" when unknown.
func (a Action) Name() string { return a.row().name }

// Actor returns who performs the action; "" when unknown.
func (a Action) Actor() Actor { return a.row().actor }

// EventKind returns the outbox event kind the action emits, e.g.
// "registration.submitted"; "" when unknown.
func (a Action) EventKind() string { return a.row().event }
