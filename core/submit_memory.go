package core

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"skillcert/domain"
	"skillcert/repo"
)

// What a submit burst reads from memory instead of the database (issue 19).
//
// A draft's owner and plan never change, so a replica remembers them for the
// drafts created or read on it (draftHints): a submit of such a draft knows
// its plan without a read, and the plan's window and seats come from the read
// model. A hint says nothing reliable about the draft's status: the
// transaction re-reads it, and a submit whose registration turns out not to be
// a draft any more forgets the hint and runs again from the database
// (errStaleHint).
//
// A refusal from memory needs more than the read model saying the plan is
// full: the registration must still be a draft, or a candidate whose submit
// succeeded on another replica would be told plan_full on a retry here. So a
// replica that sees a plan full reads the plan's drafts once (fullDrafts) and
// refuses from memory only the drafts of that list, for at most PollInterval
// after the read; a submit on this replica removes its registration from the
// list at once. A submit of a draft the list does not hold is checked against
// the database as before.

// draftHintsMax bounds the remembered drafts (about 2 MB); past it the memory
// starts over.
const draftHintsMax = 50000

// fullDraftsMax bounds the drafts read for one full plan; a plan with more is
// checked against the database, submit by submit.
const fullDraftsMax = 20000

// fullDraftsPage is the page size of that read.
const fullDraftsPage = 5000

type draftHint struct{ candidateID, planID int64 }

// draftHints remembers the owner and plan of drafts by registration id.
type draftHints struct {
	mu sync.Mutex
	m  map[int64]draftHint
}

func (h *draftHints) get(id int64) (draftHint, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	d, ok := h.m[id]
	return d, ok
}

func (h *draftHints) put(id, candidateID, planID int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil || len(h.m) >= draftHintsMax {
		h.m = make(map[int64]draftHint)
	}
	h.m[id] = draftHint{candidateID: candidateID, planID: planID}
}

func (h *draftHints) forget(id int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.m, id)
}

// fullDrafts holds, for plans seen full, their drafts (registration id →
// candidate id) as read from the database while the plan was full.
type fullDrafts struct {
	mu    sync.Mutex
	plans map[int64]*fullList
	gen   map[int64]uint64 // bumped by forget: a read begun before it is not kept
	read  singleflight.Group
}

type fullList struct {
	at     time.Time
	drafts map[int64]int64
}

// lookup tells whether registration id of candidate is among the drafts of a
// list of planID read after since.
func (f *fullDrafts) lookup(planID, id, candidateID int64, since time.Time) (found, fresh bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	l := f.plans[planID]
	if l == nil || !l.at.After(since) {
		return false, false
	}
	cand, ok := l.drafts[id]
	return ok && cand == candidateID, true
}

// forget removes a registration from its plan's list (its status changed on
// this replica) and voids any read of the plan under way.
func (f *fullDrafts) forget(planID, id int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen == nil {
		f.gen = map[int64]uint64{}
	}
	f.gen[planID]++
	if l := f.plans[planID]; l != nil {
		delete(l.drafts, id)
	}
}

func (f *fullDrafts) generation(planID int64) uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gen[planID]
}

// store keeps a list read from generation gen, unless a forget came since.
func (f *fullDrafts) store(planID int64, gen uint64, l *fullList) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.gen[planID] != gen {
		return
	}
	if f.plans == nil {
		f.plans = map[int64]*fullList{}
	}
	// Lists of plans no longer read are dropped with the next store past a few.
	for id, old := range f.plans {
		if id != planID && len(f.plans) >= 64 && l.at.Sub(old.at) > PollInterval {
			delete(f.plans, id)
		}
	}
	f.plans[planID] = l
}

// hintedSeatState is the seat state of a remembered draft, from memory: its
// plan's window and seats from the read model. False when the draft is not
// remembered, is someone else's, or its plan is not visible in the read model.
func (c *Core) hintedSeatState(req SubmitRequest) (repo.SeatState, bool) {
	h, ok := c.hints.get(req.RegistrationID)
	if !ok || h.candidateID != req.CandidateID {
		return repo.SeatState{}, false
	}
	v, ok := c.Plans.Get(h.planID, c.now())
	if !ok {
		return repo.SeatState{}, false
	}
	taken, total, ok := c.Plans.Seats(h.planID)
	if !ok {
		return repo.SeatState{}, false
	}
	return repo.SeatState{CandidateID: h.candidateID, Status: domain.StatusDraft, PlanID: h.planID,
		PlanState: repo.PlanPublished, SeatsTaken: taken, SeatsTotal: total, RegDeadline: v.RegDeadline}, true
}

// stillDraftOnFullPlan tells whether the registration is among the drafts of
// its plan read since the read model saw the plan full, within PollInterval;
// it reads them when no such list is at hand.
func (c *Core) stillDraftOnFullPlan(ctx context.Context, planID int64, req SubmitRequest) bool {
	since := c.now().Add(-PollInterval)
	if found, fresh := c.fullDrafts.lookup(planID, req.RegistrationID, req.CandidateID, since); fresh {
		return found
	}
	c.fullDrafts.read.Do(strconv.FormatInt(planID, 10), func() (any, error) {
		if _, fresh := c.fullDrafts.lookup(planID, 0, 0, since); fresh {
			return nil, nil
		}
		gen := c.fullDrafts.generation(planID)
		at := c.now()
		drafts := map[int64]int64{}
		var after int64
		for len(drafts) < fullDraftsMax {
			page, err := c.db.Read().DraftsOfPlan(context.WithoutCancel(ctx), planID, after, fullDraftsPage)
			if err != nil {
				c.log.Warn("read the drafts of a full plan", "plan_id", planID, "err", err)
				return nil, nil
			}
			for _, d := range page {
				drafts[d.RegistrationID] = d.CandidateID
				after = d.RegistrationID
			}
			if len(page) < fullDraftsPage {
				c.fullDrafts.store(planID, gen, &fullList{at: at, drafts: drafts})
				return nil, nil
			}
		}
		return nil, nil // too many to hold: each submit reads its own row
	})
	found, _ := c.fullDrafts.lookup(planID, req.RegistrationID, req.CandidateID, since)
	return found
}
