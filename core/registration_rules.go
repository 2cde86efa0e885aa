package core

import (
	"fmt"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// The refusals of submitting: the plan's window and seats, and what is missing.

// errPlanFull says a plan is full; its details name the plan and offer the
// seat watch (POST /api/v1/plans/{plan_id}/seat-watch, 有空位提醒我).
func errPlanFull(planID int64) *domain.Error {
	e := domain.Conflict("plan_full", "该评价计划报名人数已满。可点“有空位提醒我”，有名额空出时通知您（名额不保留，先提交者先得）")
	e.Details = map[string]any{"plan_id": planID, "seat_watch": true}
	return e
}

func errNotOpen(p *repo.Plan) *domain.Error {
	if start, ok := domain.ParseDate(p.RegStart); ok && p.State == repo.PlanPublished {
		return domain.Conflict("not_open", fmt.Sprintf("该评价计划%s开始报名，请届时再提交", domain.FormatCN(start)))
	}
	return domain.Conflict("not_open", "该评价计划未开放报名")
}

func errDeadlinePassed(p *repo.Plan) *domain.Error {
	if end, ok := domain.ParseDate(p.RegDeadline); ok && p.State == repo.PlanPublished {
		return domain.Conflict("deadline_passed", fmt.Sprintf("该评价计划已于%s 24:00截止报名", domain.FormatCN(end)))
	}
	return domain.Conflict("deadline_passed", "该评价计划已截止报名")
}

// planWindow tells whether a plan takes submissions at an instant: nil when it
// does, else not_open or deadline_passed. The deadline is the end of its day in
// Beijing time; a plan closed by its institution is past its deadline.
func planWindow(p *repo.Plan, now time.Time) error {
	start, _ := domain.ParseDate(p.RegStart)
	switch {
	case p.State == repo.PlanClosed, p.State == repo.PlanPublished && !now.Before(domain.DayEnd(p.RegDeadline)):
		return errDeadlinePassed(p)
	case p.State != repo.PlanPublished, now.Before(start):
		return errNotOpen(p)
	}
	return nil
}

// Missing is what an incomplete registration still needs before it can be submitted.
type Missing struct {
	Fields []string `json:"fields"` // form fields (JSON names), in form order
	Items  []string `json:"items"`  // required checklist items not uploaded (keys)
}

func errIncomplete(m Missing, opts checklistNames) *domain.Error {
	var parts []string
	if len(m.Fields) > 0 {
		labels := make([]string, len(m.Fields))
		for i, f := range m.Fields {
			labels[i] = domain.FormFieldLabel(f)
		}
		parts = append(parts, "请填写"+strings.Join(labels, "、"))
	}
	if len(m.Items) > 0 {
		parts = append(parts, "请上传"+strings.Join(opts.names(m.Items), "、"))
	}
	e := domain.NewError(domain.KindInvalid, "incomplete", "报名信息不完整："+strings.Join(parts, "；"))
	for _, f := range m.Fields {
		e.Fields = append(e.Fields, domain.FieldError{Field: f, Code: "required", Message: "请填写" + domain.FormFieldLabel(f)})
	}
	if len(e.Fields) > 0 {
		e.Field = e.Fields[0].Field
	}
	e.Details = map[string]any{"missing": m}
	return e
}

// submitWindow applies the plan's window to a submit from a status: a first
// submit needs it open; a resubmit after 退回修改 holds its seat and answers the
// reviewer, so it needs only the plan still running (published or closed).
func submitWindow(p *repo.Plan, from domain.Status, now time.Time) error {
	if from == domain.StatusReturned {
		if p.State != repo.PlanPublished && p.State != repo.PlanClosed {
			return errNotOpen(p)
		}
		return nil
	}
	return planWindow(p, now)
}
