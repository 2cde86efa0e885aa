package repo

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/feed"
)

// PlanChange is one entry of the plan change feed: plan PlanID changed (0: every
// plan may have changed, reload them all).
type PlanChange struct {
	ID     int64 `db:"id"`
	PlanID int64 `db:"plan_id"`
}

// PlanVersion is what the read model's reconciliation compares of a plan.
type PlanVersion struct {
	ID         int64     `db:"id"`
	State      string    `db:"state"`
	SeatsTaken int       `db:"seats_taken"`
	UpdatedAt  time.Time `db:"updated_at"`
}

var (
	qPlanChangeInsert = NamedQuery("plan-change-insert")
	qPlanChangesAfter = NamedQuery("plan-changes-after")
	qPlanChangesIn    = NamedQuery("plan-changes-in")
	qPlanChangeBounds = NamedQuery("plan-changes-bounds")
	qPlanChangeIDs    = NamedQuery("plan-changes-ids")
	qPlanChangePrune  = NamedQuery("plan-changes-prune")
	qPlanRowsAll      = NamedQuery("plan-rows-all")
	qPlanRowsIn       = NamedQuery("plan-rows-in")
	qPlanVersions     = NamedQuery("plan-versions")
)

// inChunk bounds the ids of one IN list.
const inChunk = 500

// RecordPlanChange adds plan planID to the change feed. Every write to a plan
// calls it in the write's transaction (the repo's plan writes do so themselves,
// except TakeSeat: a submit's commit group records one change for all the seats
// it takes), so the change becomes visible to the other replicas exactly when it
// commits.
func (db *DB) RecordPlanChange(ctx context.Context, x sqlx.ExecerContext, planID int64, now time.Time) error {
	if now.IsZero() {
		now = Now()
	}
	_, err := db.exec(ctx, x, qPlanChangeInsert, planID, now.UTC())
	return err
}

var planChangeFeed = feedQueries{after: qPlanChangesAfter, in: qPlanChangesIn, bounds: qPlanChangeBounds,
	ids: qPlanChangeIDs, prune: qPlanChangePrune}

// PlanChangeFeed is the plan change feed, for package feed to follow.
func (db *DB) PlanChangeFeed() feed.Source[PlanChange] {
	return feedSource(db, planChangeFeed, func(e PlanChange) int64 { return e.ID })
}

// PrunePlanChanges deletes the feed entries recorded before t.
func (db *DB) PrunePlanChanges(ctx context.Context, t time.Time) (int64, error) {
	return feedPrune(ctx, db, planChangeFeed, t)
}

// AllPlans returns every plan, in id order.
func (db *DB) AllPlans(ctx context.Context) ([]Plan, error) {
	var out []Plan
	err := db.sel(ctx, db.R, &out, qPlanRowsAll)
	return out, err
}

// PlansByID returns the plans among ids that exist, in no particular order.
func (db *DB) PlansByID(ctx context.Context, ids []int64) ([]Plan, error) {
	var out []Plan
	for start := 0; start < len(ids); start += inChunk {
		var part []Plan
		if err := db.selIn(ctx, db.R, &part, qPlanRowsIn, ids[start:min(start+inChunk, len(ids))]); err != nil {
			return nil, err
		}
		out = append(out, part...)
	}
	return out, nil
}

// PlanVersions returns the state, seats taken and time of change of every plan.
func (db *DB) PlanVersions(ctx context.Context) ([]PlanVersion, error) {
	var out []PlanVersion
	err := db.sel(ctx, db.R, &out, qPlanVersions)
	return out, err
}
