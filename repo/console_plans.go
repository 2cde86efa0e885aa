package repo

import (
	"context"
	"math"
	"skillcert/domain"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// PlanFilter narrows the console's plan list; zero values mean everything.
type PlanFilter struct {
	InstitutionID int64
	Region        string
	State         string
	Text          string // plan number (exact), or part of the name or occupation
	Phase         string // "" any, PhaseOpen, PhaseEnded or PhasePending
	Today         string // the date the phases are judged on, "YYYY-MM-DD" (Beijing)
	Sort          string // "" newest first, or SortActivity
	// search is the text's search as ResolvePlanSearch picked it; nil:
	// picked by each page and count.
	search *planSearch
}

// Phases and orders of the console's plan list.
const (
	PhaseOpen    = "open"    // 报名中: published, today within the registration period
	PhaseEnded   = "ended"   // 已截止: the registration deadline has passed
	PhasePending = "pending" // 有待审核: a registration awaits review
	SortActivity = "activity"
)

var (
	qConsolePlanActOlder     = NamedQuery("console-plan-activity-older")
	qConsolePlanActNewer     = NamedQuery("console-plan-activity-newer")
	qConsolePlanActSameOlder = NamedQuery("console-plan-activity-same-older")
	qConsolePlanActSameNewer = NamedQuery("console-plan-activity-same-newer")
	qPlanActivityOf          = NamedQuery("plan-activity-of")
	qConsolePlanOlder        = NamedQuery("console-plan-older")
	qConsolePlanNewer        = NamedQuery("console-plan-newer")
	qConsolePlanCount        = NamedQuery("console-plan-count-capped")
	qConsolePlanUpdate       = NamedQuery("console-plan-update")
	qConsolePlanSetState     = NamedQuery("console-plan-set-state")
	qConsolePlanSubmitted    = NamedQuery("console-plan-submitted")
	qConsolePlanCounts       = NamedQuery("console-plan-status-counts")

	qConsolePlanPendingOlder = NamedQuery("console-plan-pending-older")
	qConsolePlanPendingNewer = NamedQuery("console-plan-pending-newer")
	qConsolePlanAmongOlder   = NamedQuery("console-plan-among-older")
	qConsolePlanAmongNewer   = NamedQuery("console-plan-among-newer")
	qConsolePlanPendingCount = NamedQuery("console-plan-pending-count-capped")

	qConsolePlanGramCount        = NamedQuery("console-plan-gram-count-capped")
	qConsolePlanGramOlder        = NamedQuery("console-plan-gram-older")
	qConsolePlanGramNewer        = NamedQuery("console-plan-gram-newer")
	qConsolePlanGramHolds        = NamedQuery("console-plan-gram-holds")
	qConsolePlanIDByNo           = NamedQuery("console-plan-id-by-no")
	qConsolePlanGramSearchNewest = NamedQuery("console-plan-gram-search-count-newest")
	qConsolePlanGramHoldersFrom  = NamedQuery("console-plan-gram-holders-from")
	qPlanGramsFill               = NamedQuery("plan-grams-fill")
	qPlanGramsClear              = NamedQuery("plan-grams-clear")
	qPlanGramsWrite              = NamedQuery("plan-grams-write")
	qPlanTexts                   = NamedQuery("plan-texts")
)

func (f PlanFilter) args() []any {
	like := ""
	if f.Text != "" {
		like = "%" + likeText(f.Text) + "%"
	}
	// The phase is written as optional filters of its own, each set or
	// empty as the other filters (see optfilter.go): 报名中 is published
	// (openState), started (openDay) and not past its deadline (openDay);
	// 已截止 is published or closed (ended) and past its deadline (endedDay);
	// 有待审核 has a submitted registration (pending).
	var openState, ended, openDay, endedDay, pending string
	switch f.Phase {
	case PhaseOpen:
		openState, openDay = PlanPublished, f.Today
	case PhaseEnded:
		ended, endedDay = f.Phase, f.Today
	case PhasePending:
		pending = f.Phase
	}
	return []any{f.InstitutionID, f.InstitutionID, f.Region, f.Region, f.State, f.State,
		f.Text, f.Text, like, like,
		openState, openState, ended, PlanPublished, PlanClosed,
		openDay, openDay, openDay, openDay, endedDay, endedDay, pending, "submitted"}
}

// baseArgs are the arguments of the filters but the phase (the 有待审核
// queries', which start from the registrations awaiting review).
func (f PlanFilter) baseArgs() []any { return f.args()[:10] }

// likeText removes the LIKE wildcards from user text so it matches literally.
func likeText(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r != '%' && r != '_' && r != '\\' {
			out = append(out, r)
		}
	}
	return string(out)
}

// The keys past either end of the 最近有动态 order.
var (
	activityFirst = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	activityLast  = time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// PlanActivityPage returns up to limit plans matching f at key k in the
// 最近有动态 order (the latest activity first). The key is a plan id: the page
// goes on from that plan's place in the order (its activity now). A key plan
// that is gone reads as the first (or, going back, the last) page. The page
// is read in two parts: the plans of the key's own activity past the key's
// id, then, when the page is not full, those of the activities beyond.
func (db *DB) PlanActivityPage(ctx context.Context, f PlanFilter, k ListKey, limit int) ([]Plan, error) {
	keyOf := func(id int64, none time.Time) (time.Time, error) {
		var at time.Time
		err := db.get(ctx, db.R, &at, qPlanActivityOf, id)
		if IsNoRows(err) {
			return none, nil
		}
		return at, err
	}
	newer := k.After > 0 || k.Last
	sameQ, beyondQ := qConsolePlanActSameOlder, qConsolePlanActOlder
	at, id := activityFirst, int64(math.MaxInt64)
	if newer {
		sameQ, beyondQ = qConsolePlanActSameNewer, qConsolePlanActNewer
		at, id = activityLast, 0
		if !k.Last {
			var err error
			if at, err = keyOf(k.After, activityLast); err != nil {
				return nil, err
			}
			id = k.After
		}
	} else if k.Before > 0 {
		var err error
		if at, err = keyOf(k.Before, activityFirst); err != nil {
			return nil, err
		}
		id = k.Before
	}
	out := []Plan{}
	if !at.Equal(activityFirst) && !at.Equal(activityLast) { // no plan has a sentinel's activity
		args := append(f.args(), at, id, limit)
		if err := db.selText(ctx, db.R, &out, sameQ, db.activityPageSQL(sameQ, f, args), args...); err != nil {
			return nil, err
		}
	}
	if len(out) < limit {
		var rest []Plan
		args := append(f.args(), at, limit-len(out))
		if err := db.selText(ctx, db.R, &rest, beyondQ, db.activityPageSQL(beyondQ, f, args), args...); err != nil {
			return nil, err
		}
		// A plan of the first read whose activity moved on between the
		// reads (going newer) is met again: once on the page.
		for _, r := range rest {
			if !slices.ContainsFunc(out, func(o Plan) bool { return o.ID == r.ID }) {
				out = append(out, r)
			}
		}
	}
	if newer {
		slices.Reverse(out)
	}
	return out, nil
}

// activityPageSQL is the text of a read of the 最近有动态 order (q) as the
// store sends it for f: its filters specialised and, on MariaDB, the plans
// read from (activity_at, id), or (institution_id, activity_at, id) for an
// institution's list. Left to choose, MariaDB read the key's own activity
// by the activity alone (ref) from its largest id down, past every plan of
// that activity above the key: 50,000 for the bench's middle page, whose
// plans were loaded at once (147 ms), where the range reads the page.
func (db *DB) activityPageSQL(q Query, f PlanFilter, args []any) string {
	ix := "plans_activity"
	if f.InstitutionID != 0 {
		ix = "plans_inst_activity"
	}
	return db.forceIndex(db.withFilters(q, args), "FROM plans p", ix)
}

// PlanPage returns up to limit plans matching f at key k, newest first.
func (db *DB) PlanPage(ctx context.Context, f PlanFilter, k ListKey, limit int) ([]Plan, error) {
	if f.Phase == PhasePending {
		return db.pendingPlanPage(ctx, f, k, limit)
	}
	s, err := db.planSearch(ctx, f)
	if err != nil {
		return nil, err
	}
	if s.use {
		return db.walkPlanPage(ctx, f, s.walk, k, limit)
	}
	out := []Plan{}
	if k.After > 0 || k.Last {
		args := append(f.args(), k.After, limit)
		if err := db.selText(ctx, db.R, &out, qConsolePlanNewer, db.planPageSQL(qConsolePlanNewer, f, args), args...); err != nil {
			return nil, err
		}
		slices.Reverse(out)
		return out, nil
	}
	before := k.Before
	if before <= 0 {
		before = math.MaxInt64
	}
	args := append(f.args(), before, limit)
	err = db.selText(ctx, db.R, &out, qConsolePlanOlder, db.planPageSQL(qConsolePlanOlder, f, args), args...)
	return out, err
}

// planPageSQL is the text of a keyset page of the plan list (q) as the store
// sends it for f: its filters specialised and, on MariaDB, the plans read
// from the (column, id) index of the most selective equality filter set
// (institution, region, then state, which 报名中 implies). Left to choose,
// MariaDB read that index by its column alone (ref) from the end, past every
// plan newer than the key: 50,000 entries for the middle page of the
// published plans (232 ms), where the range (column, id) below the key
// reads the page's rows.
func (db *DB) planPageSQL(q Query, f PlanFilter, args []any) string {
	return db.forceIndex(db.withFilters(q, args), "FROM plans p", f.mariaDBIndex())
}

// forceIndex names the index ix for the table introduced by from ("FROM
// table alias", its first occurrence in text followed by a space or a line
// end) on MariaDB; on SQLite, or with no index, text is returned as is.
func (db *DB) forceIndex(text, from, ix string) string {
	if db.Dialect == SQLite || ix == "" {
		return text
	}
	for i := 0; ; {
		j := strings.Index(text[i:], from)
		if j < 0 {
			return text
		}
		end := i + j + len(from)
		if end < len(text) && (text[end] == ' ' || text[end] == '\n') {
			return text[:end] + " FORCE INDEX (" + ix + ")" + text[end:]
		}
		i = end
	}
}

// mariaDBIndex is the index MariaDB reads a keyset page of f from, "" for
// its own choice (the primary key, when no equality filter is set).
func (f PlanFilter) mariaDBIndex() string {
	switch {
	case f.InstitutionID != 0:
		return "plans_institution_id"
	case f.Region != "":
		return "plans_region_id"
	case f.State != "" || f.Phase == PhaseOpen:
		return "plans_state_id"
	}
	return ""
}

// pendingBatch is how many plan ids with a registration awaiting review (or
// holding a search's gram) a page reads at a time (at least; four pages'
// worth when larger).
var pendingBatch = 200

// maxWalkBatch bounds the doubling of a walk's batch (walkPlanPage).
const maxWalkBatch = 5000

// idSource reads the next plan ids of a walk from key: below it, largest
// first, or (newer) above it, smallest first; at most n.
type idSource func(ctx context.Context, key int64, newer bool, n int) ([]int64, error)

// pendingPlanPage is PlanPage for the phase 有待审核: it walks the distinct
// plan ids of the registrations awaiting review. Few plans await review;
// probing each plan for a submitted registration read the whole plans table
// when they were few (SQLite 0.5 s a page at 100,000 plans).
func (db *DB) pendingPlanPage(ctx context.Context, f PlanFilter, k ListKey, limit int) ([]Plan, error) {
	f.Phase = "" // the walk finds only plans awaiting review
	return db.walkPlanPage(ctx, f, func(ctx context.Context, key int64, newer bool, n int) ([]int64, error) {
		q := qConsolePlanPendingOlder
		if newer {
			q = qConsolePlanPendingNewer
		}
		var ids []int64
		err := db.sel(ctx, db.R, &ids, q, key, n)
		return ids, err
	}, k, limit)
}

// walkPlanPage is a page of the plan list whose candidates come from next: it
// walks their ids from the key, a batch at a time, and keeps the plans of each
// batch that match f, until the page is full or the ids run out.
func (db *DB) walkPlanPage(ctx context.Context, f PlanFilter, next idSource, k ListKey, limit int) ([]Plan, error) {
	newer := k.After > 0 || k.Last
	amongQ, key := qConsolePlanAmongOlder, k.Before
	if newer {
		amongQ, key = qConsolePlanAmongNewer, k.After
	} else if key <= 0 {
		key = math.MaxInt64
	}
	// The batch doubles while it finds too few (up to maxWalkBatch): a search
	// whose gram many plans hold and few match costs a few reads, not one
	// pair of reads per 200 plans.
	batch := max(pendingBatch, 4*limit)
	out := []Plan{}
	for first := true; len(out) < limit; first = false {
		if !first {
			batch = min(2*batch, max(maxWalkBatch, batch))
		}
		ids, err := next(ctx, key, newer, batch)
		if err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			break
		}
		rows, err := db.plansAmong(ctx, amongQ, f, ids, limit-len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(ids) < batch {
			break
		}
		key = ids[len(ids)-1]
	}
	if newer {
		slices.Reverse(out)
	}
	return out, nil
}

// plansAmong runs q (console-plan-among-older or -newer): up to limit of the
// plans ids that match f.
func (db *DB) plansAmong(ctx context.Context, q Query, f PlanFilter, ids []int64, limit int) ([]Plan, error) {
	text, args, err := db.amongSQL(q, f, ids, limit)
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	rows := []Plan{}
	err = db.selText(ctx, db.R, &rows, q, text, args...)
	return rows, err
}

// amongSQL is the text and arguments of q for f, ids and limit as the store
// sends them: the IN list expanded, the filters specialised and, on MariaDB,
// the plans read by primary key (with a filter set, it read the filter's
// (column, id) index instead, and probed it for each id).
func (db *DB) amongSQL(q Query, f PlanFilter, ids []int64, limit int) (string, []any, error) {
	text, args, err := db.inFilters(q, append(f.args(), ids, limit))
	if err != nil {
		return "", nil, err
	}
	return db.forceIndex(text, "FROM plans p", "PRIMARY"), args, nil
}

// CountConsolePlans counts the plans matching f, stopping at limit: a result
// of limit means "limit or more".
func (db *DB) CountConsolePlans(ctx context.Context, f PlanFilter, limit int) (int, error) {
	c, err := db.CountConsolePlansApprox(ctx, f, limit, limit)
	return min(c.N, limit), err
}

// CountConsolePlansApprox counts the plans matching f as CountConsolePlans
// does, but a search (PlanFilter.Text, through plan_grams) counts exactly no
// further than exact, and estimates beyond it (Approx): counting to the cap
// walked every plan holding the text's gram (7,000 for 电工 at 100,000 plans,
// 25–35 ms on SQLite).
func (db *DB) CountConsolePlansApprox(ctx context.Context, f PlanFilter, limit, exact int) (ListCount, error) {
	var n int
	if f.Phase == PhasePending {
		err := db.getF(ctx, db.R, &n, qConsolePlanPendingCount, append(f.baseArgs(), limit)...)
		return ListCount{N: n}, err
	}
	s, err := db.planSearch(ctx, f)
	if err != nil {
		return ListCount{}, err
	}
	if s.use {
		return db.countPlanSearch(ctx, f, s, limit, exact)
	}
	err = db.getF(ctx, db.R, &n, qConsolePlanCount, append(f.args(), limit)...)
	return ListCount{N: n}, err
}

// UpdatePlan writes the editable fields of p. It changes nothing (false) when the
// new seat total is below the seats taken, or the level changes while a
// registration of the plan was ever submitted.
// Call it inside a transaction: the change is recorded in the plan change feed
// with it, the plan's search grams are rewritten and its feedback follows its
// 业务监管地 (on MariaDB the plan's row is locked for writing from the first
// read of its old name).
func (db *DB) UpdatePlan(ctx context.Context, x sqlx.ExtContext, p *Plan) (bool, error) {
	var was struct {
		Name       string `db:"plan_name"`
		Occupation string `db:"occupation_name"`
		Region     string `db:"supervision_region"`
	}
	if err := db.get(ctx, x, &was, qPlanTexts, p.ID); err != nil && !IsNoRows(err) {
		return false, err
	}
	ok, err := rowChanged(db.exec(ctx, x, qConsolePlanUpdate, p.PlanNo, p.PlanName,
		p.OccupationName, p.WorkType, p.Level, p.SeatsTotal, p.City, p.District, p.Address,
		p.RegStart, p.RegDeadline, p.EvalStart, p.EvalEnd, p.ContactName, p.ContactPhone,
		p.SupervisionRegion, p.UpdatedAt, p.UpdatedAt, p.UpdatedAt, p.ID, p.SeatsTotal, p.Level, p.ID))
	if ok && err == nil && (was.Name != p.PlanName || was.Occupation != p.OccupationName) {
		// After the UPDATE, which holds the row: the old text's grams go,
		// the new text's come (a gram of both is written again).
		_, err = db.exec(ctx, x, qPlanGramsClear, p.ID, was.Name, was.Occupation)
		if err == nil {
			err = db.writePlanGrams(ctx, x, p)
		}
	}
	if ok && err == nil && was.Region != p.SupervisionRegion {
		_, err = db.moveFeedbackRegion(ctx, x, p.ID, p.SupervisionRegion)
	}
	return db.recordIf(ctx, x, ok, err, p.ID, p.UpdatedAt)
}

// writePlanGrams writes the search grams of p's name and occupation
// (plan_grams, console_plan_search.go). Call it in the transaction that
// writes the plan.
func (db *DB) writePlanGrams(ctx context.Context, x sqlx.ExecerContext, p *Plan) error {
	_, err := db.exec(ctx, x, qPlanGramsWrite, p.ID, p.PlanName, p.OccupationName)
	return err
}

// fillPlanGrams writes the search grams of the plans with ids in [lo, hi]
// from the rows (a bulk insert). Call it in the transaction that writes the
// plans.
func (db *DB) fillPlanGrams(ctx context.Context, x sqlx.ExecerContext, lo, hi int64) error {
	_, err := db.exec(ctx, x, qPlanGramsFill, lo, hi, lo, hi)
	return err
}

// SetPlanState moves a plan from one state to another; false when it was not in
// from. Call it inside a transaction: the change is recorded in the plan change
// feed with it.
func (db *DB) SetPlanState(ctx context.Context, x sqlx.ExecerContext, id int64, from, to string, now time.Time) (bool, error) {
	ok, err := rowChanged(db.exec(ctx, x, qConsolePlanSetState, to, now, now, now, now, id, from))
	return db.recordIf(ctx, x, ok, err, id, now)
}

// recordIf records a plan change when a write changed the plan.
func (db *DB) recordIf(ctx context.Context, x sqlx.ExecerContext, ok bool, err error, planID int64, now time.Time) (bool, error) {
	if ok && err == nil {
		err = db.RecordPlanChange(ctx, x, planID, now)
	}
	return ok && err == nil, err
}

// PlanSubmittedCount counts the registrations of a plan that were ever submitted.
func (db *DB) PlanSubmittedCount(ctx context.Context, q sqlx.QueryerContext, planID int64) (int, error) {
	var n int
	err := db.get(ctx, q, &n, qConsolePlanSubmitted, planID)
	return n, err
}

// PlanStatusCounts returns, for each plan id given, its registrations by status.
func (db *DB) PlanStatusCounts(ctx context.Context, planIDs []int64) (map[int64]map[string]int, error) {
	out := map[int64]map[string]int{}
	if len(planIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		PlanID int64         `db:"plan_id"`
		Status domain.Status `db:"status"`
		N      int           `db:"n"`
	}
	if err := db.selIn(ctx, db.R, &rows, qConsolePlanCounts, planIDs); err != nil {
		return nil, err
	}
	for _, r := range rows {
		if out[r.PlanID] == nil {
			out[r.PlanID] = map[string]int{}
		}
		out[r.PlanID][string(r.Status)] = r.N
	}
	return out, nil
}

// SeatHolder is a registration that holds a seat of a plan, and its candidate.
type SeatHolder struct {
	ID          int64 `db:"id"`
	CandidateID int64 `db:"candidate_id"`
}

var qConsolePlanSeatHolders = NamedQuery("console-plan-seat-holders")

// PlanSeatHolders lists the registrations of a plan that hold a seat.
func (db *DB) PlanSeatHolders(ctx context.Context, q sqlx.QueryerContext, planID int64) ([]SeatHolder, error) {
	out := []SeatHolder{}
	err := db.sel(ctx, q, &out, qConsolePlanSeatHolders, planID)
	return out, err
}
