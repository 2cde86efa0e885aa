package notify

import (
	"context"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// event is a claimed outbox row with what delivering it needs.
type event struct {
	row      *repo.OutboxRow
	spec     EventSpec
	facts    facts
	rcpt     repo.Recipient
	hasRcpt  bool
	dels     []repo.Delivery // its deliveries so far, one per channel tried
	attempts int             // sends so far, this one's included once begun
	skip     string          // why the event is no longer worth sending; "" when it is
}

// load reads the facts, recipient and deliveries of a claimed row.
func (d *Dispatcher) load(ctx context.Context, row *repo.OutboxRow) (*event, error) {
	ev := &event{row: row, spec: d.tpl.Spec(row.Kind), attempts: row.Attempts}
	var ef repo.EventFacts
	var err error
	switch {
	case row.RegistrationID.Valid:
		ef, err = d.db.RegistrationFacts(ctx, d.db.R, row.RegistrationID.Int64)
	case row.PlanID.Valid:
		var p repo.Plan
		if p, err = d.db.GetPlan(ctx, d.db.R, row.PlanID.Int64); err == nil {
			ef = planFacts(&p)
		}
	}
	if err != nil && !repo.IsNoRows(err) {
		return nil, err
	}
	if row.CandidateID.Valid {
		ev.rcpt, err = d.db.NotifyRecipient(ctx, d.db.R, row.CandidateID.Int64)
		if err != nil && !repo.IsNoRows(err) {
			return nil, err
		}
		ev.hasRcpt = err == nil
	}
	ev.facts = buildFacts(row, &ef, ev.rcpt.Name)
	ev.skip = staleness(row, &ef, d.now())
	if ev.dels, err = d.db.Deliveries(ctx, d.db.R, row.ID); err != nil {
		return nil, err
	}
	return ev, nil
}

func planFacts(p *repo.Plan) repo.EventFacts {
	return repo.EventFacts{
		PlanID: p.ID, PlanNo: p.PlanNo, PlanName: p.PlanName, OccupationName: p.OccupationName,
		WorkType: p.WorkType, Level: p.Level, City: p.City, District: p.District, Address: p.Address,
		EvalStart: p.EvalStart, EvalEnd: p.EvalEnd, PlanState: p.State, ContactPhone: p.ContactPhone,
		InstitutionName: p.InstitutionName,
	}
}

// staleness says why an event is no longer worth sending when its turn comes:
// an exam reminder for a registration no longer approved, a plan cancelled or
// moved, or an exam already begun. Other events are always sent.
func staleness(row *repo.OutboxRow, ef *repo.EventFacts, now time.Time) string {
	switch row.Kind {
	case domain.EventDeadlineIn3Days, domain.EventDeadlineIn1Day, domain.EventPlanFullForDraft:
		// Told to a draft: pointless once submitted or cancelled.
		if row.RegistrationID.Valid && ef.Status != domain.StatusDraft {
			return "reminder: registration is " + string(ef.Status)
		}
		return ""
	case domain.EventReturnPending:
		if ef.Status != domain.StatusReturned {
			return "reminder: registration is " + string(ef.Status)
		}
		return ""
	case domain.EventExamReminder:
	default:
		return ""
	}
	p := parsePayload(row.Payload)
	switch {
	case ef.RegistrationID == 0:
		return "reminder: registration not found"
	case ef.Status != domain.StatusApproved:
		return "reminder: registration is " + string(ef.Status)
	case ef.PlanState == repo.PlanCancelled:
		return "reminder: plan cancelled"
	case p.EvalStart != "" && p.EvalStart != ef.EvalStart:
		return "reminder: evaluation moved to " + ef.EvalStart
	}
	if start, ok := domain.ParseDate(ef.EvalStart); ok && !now.Before(start) {
		return "reminder: evaluation already begun"
	}
	return ""
}
