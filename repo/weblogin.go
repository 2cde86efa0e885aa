package repo

import (
	"context"
	"database/sql"
	"time"
)

// WebQRLogin is a sign-in of the candidate web pages by official-account QR code.
type WebQRLogin struct {
	ID          int64        `db:"id"`
	Scene       string       `db:"scene"`
	CandidateID int64        `db:"candidate_id"` // 0 until scanned
	ExpiresAt   time.Time    `db:"expires_at"`
	UsedAt      sql.NullTime `db:"used_at"`
}

var (
	qWebQRInsert    = NamedQuery("web-qr-insert")
	qWebQRScan      = NamedQuery("web-qr-scan")
	qWebQRByBrowser = NamedQuery("web-qr-by-browser")
	qWebQRUse       = NamedQuery("web-qr-use")
	qWebQRPrune     = NamedQuery("web-qr-prune")
	qCandidateAdopt = NamedQuery("candidate-adopt-openid")
)

// InsertWebQRLogin records a new QR sign-in: its scene and the blind index of the
// browser's secret.
func (db *DB) InsertWebQRLogin(ctx context.Context, scene, browserIdx string, expires, now time.Time) error {
	_, err := db.exec(ctx, db.W, qWebQRInsert, scene, browserIdx, expires, now)
	return err
}

// ScanWebQRLogin records the candidate who scanned a live code; false when the
// code is unknown, expired, used or already scanned.
func (db *DB) ScanWebQRLogin(ctx context.Context, scene string, candidateID int64, now time.Time) (bool, error) {
	res, err := db.exec(ctx, db.W, qWebQRScan, candidateID, now, scene, now)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// WebQRLoginByBrowser reads the sign-in of a browser secret's index;
// sql.ErrNoRows when none.
func (db *DB) WebQRLoginByBrowser(ctx context.Context, browserIdx string) (WebQRLogin, error) {
	var l WebQRLogin
	err := db.get(ctx, db.W, &l, qWebQRByBrowser, browserIdx)
	return l, err
}

// UseWebQRLogin marks a scanned sign-in used; false when it was used already.
func (db *DB) UseWebQRLogin(ctx context.Context, id int64, now time.Time) (bool, error) {
	res, err := db.exec(ctx, db.W, qWebQRUse, now, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// PruneWebQRLogins deletes sign-ins that expired before cutoff.
func (db *DB) PruneWebQRLogins(ctx context.Context, cutoff time.Time) error {
	_, err := db.exec(ctx, db.W, qWebQRPrune, cutoff)
	return err
}

// AdoptCandidateOpenID gives a candidate created by the web door ("oa:…") the
// mini-program openid; false when the candidate already has one.
func (db *DB) AdoptCandidateOpenID(ctx context.Context, id int64, openID string, now time.Time) (bool, error) {
	res, err := db.exec(ctx, db.W, qCandidateAdopt, openID, now, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
