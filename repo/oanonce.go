package repo

import (
	"context"
	"time"
)

var (
	qOANonceInsert = NamedQuery("oa-nonce-insert")
	qOANonceGet    = NamedQuery("oa-nonce-get")
	qOANoncePrune  = NamedQuery("oa-nonce-prune")
)

// ClaimOANonce records a callback's nonce key with the digest of its body. When
// the key was recorded before, it returns the digest recorded then (first false).
func (db *DB) ClaimOANonce(ctx context.Context, key, bodySum string, now time.Time) (first bool, recorded string, err error) {
	_, err = db.exec(ctx, db.W, qOANonceInsert, key, bodySum, now)
	if err == nil {
		return true, bodySum, nil
	}
	if !IsUniqueViolation(err) {
		return false, "", err
	}
	err = db.get(ctx, db.W, &recorded, qOANonceGet, key)
	return false, recorded, err
}

// PruneOANonces deletes nonces recorded before cutoff.
func (db *DB) PruneOANonces(ctx context.Context, cutoff time.Time) error {
	_, err := db.exec(ctx, db.W, qOANoncePrune, cutoff)
	return err
}
