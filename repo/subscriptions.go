package repo

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// MaxSubscribeCredits caps the consents counted per candidate and template: a
// client cannot inflate them without bound.
const MaxSubscribeCredits = 50

var (
	qCreditGet       = NamedQuery("credit-get")
	qCreditTake      = NamedQuery("credit-take")
	qCreditReturn    = NamedQuery("credit-return")
	qCreditClear     = NamedQuery("credit-clear")
	qCreditAdd       = NamedQuery("credit-add")
	qCreditsOfCandid = NamedQuery("credits-of-candidate")
)

// AddSubscribeCredits records one wx.requestSubscribeMessage answer for a template:
// add credits (1 for "accept", 0 otherwise) and the answer itself.
func (db *DB) AddSubscribeCredits(ctx context.Context, x sqlx.ExecerContext, candidateID int64, templateID string, add int, result string, now time.Time) error {
	_, err := db.exec(ctx, x, qCreditAdd, candidateID, templateID, min(add, MaxSubscribeCredits),
		result, now, MaxSubscribeCredits)
	return err
}

// SubscribeCredits returns the candidate's credits by template id.
func (db *DB) SubscribeCredits(ctx context.Context, q sqlx.QueryerContext, candidateID int64) (map[string]int, error) {
	var rows []struct {
		TemplateID string `db:"template_id"`
		Credits    int    `db:"credits"`
	}
	if err := db.sel(ctx, q, &rows, qCreditsOfCandid, candidateID); err != nil {
		return nil, err
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.TemplateID] = r.Credits
	}
	return out, nil
}

// SubscribeCredit returns the credits of one candidate and template (0 when none
// was ever recorded).
func (db *DB) SubscribeCredit(ctx context.Context, q sqlx.QueryerContext, candidateID int64, templateID string) (int, error) {
	var n int
	err := db.get(ctx, q, &n, qCreditGet, candidateID, templateID)
	if IsNoRows(err) {
		return 0, nil
	}
	return n, err
}

// TakeSubscribeCredit uses one credit; false when there was none.
func (db *DB) TakeSubscribeCredit(ctx context.Context, x sqlx.ExecerContext, candidateID int64, templateID string, now time.Time) (bool, error) {
	res, err := db.exec(ctx, x, qCreditTake, now, candidateID, templateID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ReturnSubscribeCredit gives back a credit that WeChat did not use.
func (db *DB) ReturnSubscribeCredit(ctx context.Context, x sqlx.ExecerContext, candidateID int64, templateID string, now time.Time) error {
	_, err := db.exec(ctx, x, qCreditReturn, now, candidateID, templateID)
	return err
}

// ClearSubscribeCredits sets a template's credits to zero (WeChat said 43101: the
// consents we counted are gone).
func (db *DB) ClearSubscribeCredits(ctx context.Context, x sqlx.ExecerContext, candidateID int64, templateID string, now time.Time) error {
	_, err := db.exec(ctx, x, qCreditClear, now, candidateID, templateID)
	return err
}
