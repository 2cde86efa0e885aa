package repo

import (
	"context"
	"database/sql"
	"math"
	"skillcert/domain"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
)

// Feedback is one row of feedback (外部督导情况反馈).
type Feedback struct {
	ID              int64                 `db:"id"`
	CandidateID     int64                 `db:"candidate_id"`
	PlanID          int64                 `db:"plan_id"`
	RegistrationID  sql.NullInt64         `db:"registration_id"`
	Category        string                `db:"category"`
	Content         string                `db:"content"`
	ContactPref     string                `db:"contact_pref"`
	ContactPhoneEnc sql.NullString        `db:"contact_phone_enc"`
	Anonymous       bool                  `db:"anonymous"`
	Status          domain.FeedbackStatus `db:"status"`
	Reply           string                `db:"reply"`
	RepliedAt       sql.NullTime          `db:"replied_at"`
	RepliedBy       sql.NullInt64         `db:"replied_by"`
	CreatedAt       time.Time             `db:"created_at"`
	UpdatedAt       time.Time             `db:"updated_at"`
	// ContentCheck is WeChat's verdict on Content (domain.ContentCheck).
	ContentCheck string `db:"content_check"`
}

// FeedbackRow is a feedback with its plan, institution, sender name (from the
// candidate's bound identity; whoever shows it decides whether it may be shown),
// replier and number of images.
type FeedbackRow struct {
	Feedback
	PlanNo            string `db:"plan_no"`
	PlanName          string `db:"plan_name"`
	OccupationName    string `db:"occupation_name"`
	Level             int    `db:"level"`
	SupervisionRegion string `db:"supervision_region"`
	InstitutionName   string `db:"institution_name"`
	SenderName        string `db:"sender_name"`
	ReplierName       string `db:"replier_name"`
	ImageCount        int    `db:"image_count"`
}

// FeedbackImage is one photo of a feedback.
type FeedbackImage struct {
	ID          int64     `db:"id"`
	FeedbackID  int64     `db:"feedback_id"`
	FileName    string    `db:"file_name"`
	ContentType string    `db:"content_type"`
	Size        int64     `db:"size"`
	BlobKey     string    `db:"blob_key"`
	UploadedAt  time.Time `db:"uploaded_at"`
	// CheckStatus is the photo's content check (domain.ContentCheck); risky
	// photos are hidden from staff.
	CheckStatus string `db:"check_status"`
	// CheckToken is the secret of the URL WeChat fetches the photo from while
	// its check is pending ("" otherwise; set on insert only).
	CheckToken string `db:"-"`
}

// FeedbackImageCheck is a photo found by the trace id of its content check,
// with the feedback it belongs to.
type FeedbackImageCheck struct {
	ID             int64         `db:"id"`
	FeedbackID     int64         `db:"feedback_id"`
	CheckStatus    string        `db:"check_status"`
	CandidateID    int64         `db:"candidate_id"`
	PlanID         int64         `db:"plan_id"`
	RegistrationID sql.NullInt64 `db:"registration_id"`
}

// FeedbackFilter narrows the inbox; empty strings mean everything.
type FeedbackFilter struct {
	Region   string // the plans' supervision_region
	Status   domain.FeedbackStatus
	Category string
}

func (f FeedbackFilter) args() []any {
	return []any{f.Region, f.Region, f.Status, f.Status, f.Category, f.Category}
}

// FeedbackLock is what a change to a feedback checks first.
type FeedbackLock struct {
	CandidateID int64                 `db:"candidate_id"`
	Status      domain.FeedbackStatus `db:"status"`
	CreatedAt   time.Time             `db:"created_at"`
}

var (
	qFeedbackInsert      = NamedQuery("feedback-insert")
	qFeedbackMoveRegion  = NamedQuery("feedback-move-region")
	qFeedbackStalePlans  = NamedQuery("feedback-region-stale-plans")
	qPlanRegionLock      = NamedQuery("plan-region-lock")
	qFeedbackGet         = NamedQuery("feedback-get")
	qFeedbackByCandidate = NamedQuery("feedback-list-by-candidate")
	qFeedbackCountByCand = NamedQuery("feedback-count-by-candidate")
	qFeedbackInboxOlder  = NamedQuery("feedback-inbox-older")
	qFeedbackInboxNewer  = NamedQuery("feedback-inbox-newer")
	qFeedbackInboxCount  = NamedQuery("feedback-inbox-count-capped")
	qFeedbackInboxNewest = NamedQuery("feedback-inbox-count-newest")
	qFeedbackInboxOldest = NamedQuery("feedback-inbox-oldest")
	qFeedbackImageCounts = NamedQuery("feedback-image-counts")
	qFeedbackExport      = NamedQuery("feedback-export")
	qFeedbackSetStatus   = NamedQuery("feedback-set-status")
	qFeedbackReply       = NamedQuery("feedback-reply")
	qFeedbackLock        = NamedQuery("feedback-lock")
	qFeedbackImageInsert = NamedQuery("feedback-image-insert")
	qFeedbackImageList   = NamedQuery("feedback-image-list")
	qFeedbackImageGet    = NamedQuery("feedback-image-get")
	qFeedbackImageCount  = NamedQuery("feedback-image-count")
	qFeedbackImageToken  = NamedQuery("feedback-image-by-token")
	qFeedbackImageTrace  = NamedQuery("feedback-image-set-trace")
	qFeedbackImageByTr   = NamedQuery("feedback-image-by-trace")
	qFeedbackImageCheck  = NamedQuery("feedback-image-set-check")
)

// InsertFeedback inserts a feedback (status submitted, no reply) inside tx and sets its ID.
func (db *DB) InsertFeedback(ctx context.Context, tx *sqlx.Tx, f *Feedback) error {
	res, err := db.exec(ctx, tx, qFeedbackInsert, f.CandidateID, f.PlanID, f.RegistrationID,
		f.Category, f.Content, f.ContactPref, f.ContactPhoneEnc, f.Anonymous, f.ContentCheck, f.CreatedAt, f.UpdatedAt, f.PlanID)
	if err != nil {
		return err
	}
	f.ID, err = res.LastInsertId()
	return err
}

// GetFeedback reads one feedback with its plan; sql.ErrNoRows when unknown.
func (db *DB) GetFeedback(ctx context.Context, q sqlx.QueryerContext, id int64) (FeedbackRow, error) {
	var f FeedbackRow
	err := db.get(ctx, q, &f, qFeedbackGet, id)
	return f, err
}

// ListCandidateFeedback returns one page of a candidate's feedback, newest first, and the total.
func (db *DB) ListCandidateFeedback(ctx context.Context, candidateID int64, limit, offset int) ([]FeedbackRow, int, error) {
	out := []FeedbackRow{}
	if err := db.sel(ctx, db.R, &out, qFeedbackByCandidate, candidateID, limit, offset); err != nil {
		return nil, 0, err
	}
	var n int
	err := db.get(ctx, db.R, &n, qFeedbackCountByCand, candidateID)
	return out, n, err
}

// ListKey places a keyset page of a list newest first: rows older than Before
// (0: from the newest), or, when After is set or Last is true, rows newer than
// After (0 with Last: the oldest page).
type ListKey = AuditKey

// FeedbackInbox returns up to limit feedback matching f at key k, newest
// first, each with its count of photos shown.
func (db *DB) FeedbackInbox(ctx context.Context, f FeedbackFilter, k ListKey, limit int) ([]FeedbackRow, error) {
	out := []FeedbackRow{}
	if k.After > 0 || k.Last {
		args := append(f.args(), k.After, limit)
		if err := db.selText(ctx, db.R, &out, qFeedbackInboxNewer, db.feedbackPageSQL(qFeedbackInboxNewer, f, args), args...); err != nil {
			return nil, err
		}
		slices.Reverse(out)
	} else {
		before := k.Before
		if before <= 0 {
			before = math.MaxInt64
		}
		args := append(f.args(), before, limit)
		if err := db.selText(ctx, db.R, &out, qFeedbackInboxOlder, db.feedbackPageSQL(qFeedbackInboxOlder, f, args), args...); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	for i, r := range out {
		ids[i] = r.ID
	}
	var counts []struct {
		ID int64 `db:"feedback_id"`
		N  int   `db:"n"`
	}
	if err := db.selIn(ctx, db.R, &counts, qFeedbackImageCounts, ids); err != nil {
		return nil, err
	}
	n := make(map[int64]int, len(counts))
	for _, c := range counts {
		n[c.ID] = c.N
	}
	for i := range out {
		out[i].ImageCount = n[out[i].ID]
	}
	return out, nil
}

// feedbackPageSQL is the text of a keyset page of the feedback inbox (q) as
// the store sends it for f: its filters specialised and, on MariaDB, the
// feedback read from the index of the filters set. Left to choose, MariaDB
// read a (category, id) index by the category alone (ref) from the newest
// feedback down, past every one newer than the key (30 ms for a middle page
// of 50,000; a range below the key reads the page's rows).
func (db *DB) feedbackPageSQL(q Query, f FeedbackFilter, args []any) string {
	return db.forceIndex(db.withFilters(q, args), "FROM feedback f", f.mariaDBIndex())
}

// mariaDBIndex is the index MariaDB reads a keyset page of f from, "" for its
// own choice (the primary key, when no filter is set). A region's feedback
// (migration 00032) is read with its category or status from one index.
func (f FeedbackFilter) mariaDBIndex() string {
	switch {
	case f.Region != "" && f.Category != "":
		return "feedback_region_category"
	case f.Region != "" && f.Status != "":
		return "feedback_region_status"
	case f.Region != "":
		return "feedback_region"
	case f.Category != "":
		return "feedback_category"
	case f.Status != "":
		return "feedback_status"
	}
	return ""
}

// RepairFeedbackRegions gives the feedback whose region is not its plan's
// the plan's, and returns how many it mended: feedback written, or a plan's
// region changed, by a build before migration 00032 while it was being
// applied (no supervisor's inbox, or the wrong one, lists it). The plans are
// found by a plain read of every feedback with its plan; each is then mended
// in a transaction of its own that locks the plan before its feedback, as a
// plan's edit does (the other order could deadlock with one).
func (db *DB) RepairFeedbackRegions(ctx context.Context) (int64, error) {
	var plans []int64
	if err := db.sel(ctx, db.R, &plans, qFeedbackStalePlans); err != nil {
		return 0, err
	}
	var n int64
	for _, id := range plans {
		err := db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
			var region string
			if err := db.get(ctx, tx, &region, qPlanRegionLock, id); err != nil {
				return err
			}
			k, err := db.moveFeedbackRegion(ctx, tx, id, region)
			n += k
			return err
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// moveFeedbackRegion gives a plan's feedback the plan's 业务监管地 (its
// supervisor's inbox reads feedback.supervision_region), inside the
// transaction that changes the plan's, and returns how many it moved.
func (db *DB) moveFeedbackRegion(ctx context.Context, x sqlx.ExecerContext, planID int64, region string) (int64, error) {
	res, err := db.exec(ctx, x, qFeedbackMoveRegion, region, planID, region)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CountFeedbackInbox counts the feedback matching f: exactly up to exact,
// estimated beyond it (ListCount).
func (db *DB) CountFeedbackInbox(ctx context.Context, f FeedbackFilter, exact int) (ListCount, error) {
	// Each read names the filters' index on MariaDB, as a page does: left
	// to choose, it read a region's oldest match by the primary key from the
	// oldest feedback on, past every other region's.
	return db.countList(ctx, listCount{qFeedbackInboxCount, qFeedbackInboxNewest, qFeedbackInboxOldest,
		func(q Query, args []any) string { return db.feedbackPageSQL(q, f, args) }}, f.args(), exact)
}

// EachFeedback calls fn for every feedback matching f, newest first, reading
// them as a stream (for the export: nothing is capped). fn's error stops the walk.
func (db *DB) EachFeedback(ctx context.Context, f FeedbackFilter, fn func(FeedbackRow) error) error {
	return eachRow(ctx, db, qFeedbackExport, f.args(), fn)
}

// LockFeedback reads a feedback's owner and status inside tx, locking its row.
func (db *DB) LockFeedback(ctx context.Context, tx *sqlx.Tx, id int64) (FeedbackLock, error) {
	var l FeedbackLock
	err := db.get(ctx, tx, &l, qFeedbackLock, id)
	return l, err
}

// SetFeedbackStatus moves a feedback from one status to another inside tx; ok
// is false when its status was no longer from.
func (db *DB) SetFeedbackStatus(ctx context.Context, tx *sqlx.Tx, id int64, from, to domain.FeedbackStatus, now time.Time) (bool, error) {
	res, err := db.exec(ctx, tx, qFeedbackSetStatus, to, now, id, from)
	return affectedOne(res, err)
}

// FeedbackReply is a supervisor's answer to a feedback.
type FeedbackReply struct {
	Text      string
	By        int64
	Status    domain.FeedbackStatus // the status it leaves the feedback in
	From      domain.FeedbackStatus // the status it was read in
	RepliedAt time.Time
}

// ReplyFeedback writes a reply and the new status inside tx; ok is false when
// the feedback's status was no longer r.From.
func (db *DB) ReplyFeedback(ctx context.Context, tx *sqlx.Tx, id int64, r FeedbackReply) (bool, error) {
	res, err := db.exec(ctx, tx, qFeedbackReply, r.Text, r.RepliedAt, r.By, r.Status, r.RepliedAt, id, r.From)
	return affectedOne(res, err)
}

// InsertFeedbackImage inserts a photo row inside tx and sets its ID.
func (db *DB) InsertFeedbackImage(ctx context.Context, tx *sqlx.Tx, im *FeedbackImage) error {
	res, err := db.exec(ctx, tx, qFeedbackImageInsert, im.FeedbackID, im.FileName, im.ContentType,
		im.Size, im.BlobKey, im.UploadedAt, im.CheckStatus, nullString(im.CheckToken))
	if err != nil {
		return err
	}
	im.ID, err = res.LastInsertId()
	return err
}

// ListFeedbackImages returns a feedback's photos in upload order.
func (db *DB) ListFeedbackImages(ctx context.Context, q sqlx.QueryerContext, feedbackID int64) ([]FeedbackImage, error) {
	out := []FeedbackImage{}
	err := db.sel(ctx, q, &out, qFeedbackImageList, feedbackID)
	return out, err
}

// GetFeedbackImage reads one photo of a feedback; sql.ErrNoRows when it has no such photo.
func (db *DB) GetFeedbackImage(ctx context.Context, q sqlx.QueryerContext, feedbackID, id int64) (FeedbackImage, error) {
	var im FeedbackImage
	err := db.get(ctx, q, &im, qFeedbackImageGet, id, feedbackID)
	return im, err
}

// CountFeedbackImages counts a feedback's photos.
func (db *DB) CountFeedbackImages(ctx context.Context, q sqlx.QueryerContext, feedbackID int64) (int, error) {
	var n int
	err := db.get(ctx, q, &n, qFeedbackImageCount, feedbackID)
	return n, err
}

// FeedbackImageByToken reads the photo whose pending check has the fetch token;
// sql.ErrNoRows when none (unknown token, or the check is over).
func (db *DB) FeedbackImageByToken(ctx context.Context, token string) (FeedbackImage, error) {
	var im FeedbackImage
	err := db.get(ctx, db.R, &im, qFeedbackImageToken, token)
	return im, err
}

// SetFeedbackImageTrace records the trace id of a photo's pending check.
func (db *DB) SetFeedbackImageTrace(ctx context.Context, id int64, traceID string) error {
	_, err := db.exec(ctx, db.W, qFeedbackImageTrace, traceID, id)
	return err
}

// FeedbackImageByTrace finds a photo by the trace id of its check; sql.ErrNoRows when none.
func (db *DB) FeedbackImageByTrace(ctx context.Context, q sqlx.QueryerContext, traceID string) (FeedbackImageCheck, error) {
	var c FeedbackImageCheck
	err := db.get(ctx, q, &c, qFeedbackImageByTr, traceID)
	return c, err
}

// EndFeedbackImageCheck ends a photo's pending check with status; ok is false
// when the check was no longer pending.
func (db *DB) EndFeedbackImageCheck(ctx context.Context, x sqlx.ExecerContext, id int64, status string) (bool, error) {
	res, err := db.exec(ctx, x, qFeedbackImageCheck, status, id)
	return affectedOne(res, err)
}
