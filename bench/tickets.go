package main

import (
	"context"
	"fmt"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/notifytest"
)

func init() {
	register(Scenario{Name: "tickets", Run: benchTickets,
		Help: "admission tickets of a plan of 5,000 approved candidates: arrange automatically (theory and practical, 100 rooms each) and publish (one outbox row each); target < 5 s"})
}

// ticketCandidates is the size of the plan.
const ticketCandidates = 5000

// ticketsReport is the scenario's report.
type ticketsReport struct {
	Candidates     int     `json:"candidates"`
	Sessions       int     `json:"sessions"`
	ArrangeSeconds float64 `json:"arrange_seconds"`
	PublishSeconds float64 `json:"publish_seconds"`
	TotalSeconds   float64 `json:"total_seconds"`
	Notified       int     `json:"notified"`
	Republish      float64 `json:"republish_unchanged_seconds"`
	TicketSeconds  float64 `json:"one_ticket_seconds"` // a candidate's GET of their ticket, in core (with the QR code)
	TargetSeconds  float64 `json:"target_seconds"`
}

func benchTickets(ctx context.Context, env *Env) (any, error) {
	c, db := env.App.Core, env.App.DB
	planID, err := notifytest.Plan(ctx, db, notifytest.PlanSpec{No: fmt.Sprintf("BT%d", time.Now().Unix()%100000), EvalStart: "2026-12-20"})
	if err != nil {
		return nil, err
	}
	p, err := db.GetPlan(ctx, db.R, planID)
	if err != nil {
		return nil, err
	}
	people, err := notifytest.Population(ctx, db, planID, fmt.Sprintf("bench-ticket-%d", planID), "approved", ticketCandidates)
	if err != nil {
		return nil, err
	}
	st, err := c.CreateStaff(ctx, core.NewStaff{Username: fmt.Sprintf("bench-tickets-%d", planID), Password: "bench-password-1",
		Role: domain.RoleInstitution, InstitutionID: p.InstitutionID}, nil)
	if err != nil {
		return nil, err
	}
	rooms := 0
	for _, subj := range []string{"theory", "practical"} {
		start, end := "09:00", "10:30"
		if subj == "practical" {
			start, end = "14:00", "16:00"
		}
		for i := 1; i <= ticketCandidates/50; i++ {
			if _, err := c.AddExamSession(ctx, &st, planID, core.ExamSessionInput{Subject: subj, Date: p.EvalStart,
				Start: start, End: end, Venue: "广州市天河区中山大道西1号", Room: fmt.Sprintf("第%d考场", i), Seats: "50"}); err != nil {
				return nil, err
			}
			rooms++
		}
	}
	rep := ticketsReport{Candidates: ticketCandidates, Sessions: rooms, TargetSeconds: 5}
	t0 := time.Now()
	if _, err := c.ArrangeSeats(ctx, &st, planID, core.OrderRegistration); err != nil {
		return nil, err
	}
	t1 := time.Now()
	pub, err := c.PublishTickets(ctx, &st, planID)
	if err != nil {
		return nil, err
	}
	t2 := time.Now()
	if _, err := c.PublishTickets(ctx, &st, planID); err != nil {
		return nil, err
	}
	t3 := time.Now()
	if _, err := c.GetTicket(ctx, people[0].ID, people[0].Registration); err != nil {
		return nil, err
	}
	t4 := time.Now()
	rep.ArrangeSeconds, rep.PublishSeconds = t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds()
	rep.TotalSeconds, rep.Notified = t2.Sub(t0).Seconds(), pub.Notified
	rep.Republish, rep.TicketSeconds = t3.Sub(t2).Seconds(), t4.Sub(t3).Seconds()
	fmt.Printf("\n== tickets (%s): %d approved candidates, %d rooms ==\n", env.Engine, rep.Candidates, rep.Sessions)
	fmt.Printf("arrange   %6.2f s\npublish   %6.2f s (%d notices)\ntotal     %6.2f s (target < %.0f s)\n",
		rep.ArrangeSeconds, rep.PublishSeconds, rep.Notified, rep.TotalSeconds, rep.TargetSeconds)
	fmt.Printf("republish %6.2f s (nothing changed)\nticket    %6.3f s (one candidate's ticket with its QR code)\n", rep.Republish, rep.TicketSeconds)
	return rep, nil
}
