package core

import (
	"context"
	"strings"

	"skillcert/domain"
	"skillcert/repo"
)

// idTailContext keeps the tail hashes apart from the full numbers' blind index
// (a four-character number would otherwise hash alike).
const idTailContext = "id-tail:"

// idTailBatch is how many registrations one backfill step fills.
const idTailBatch = 500

// IDTailIndex is the keyed hash of an ID number's last four characters
// (trimmed, upper-cased: 002X), stored as registrations.id_tail_idx so the
// reviewer's "last four" search is an index lookup.
func (c *Core) IDTailIndex(number string) string {
	r := []rune(strings.ToUpper(strings.TrimSpace(number)))
	return c.pii.Index(idTailContext + string(r[max(0, len(r)-4):]))
}

// setIDTail writes the tail hash of a registration from its candidate's sealed
// number, inside the transaction that gave the registration that number.
func (c *Core) setIDTail(ctx context.Context, tx repo.Tx, regID int64, sealed string) error {
	full, err := c.pii.Open(sealed)
	if err != nil {
		return err
	}
	return tx.SetIDTail(ctx, regID, c.IDTailIndex(full))
}

// BackfillIDTails fills the tail hash of every registration that lacks one (rows
// written before migration 00024), idTailBatch rows a step in id order, until
// none is left or ctx ends. It is safe to re-run and to run beside writes: a
// row is only filled while its candidate's number is the one registered.
func (c *Core) BackfillIDTails(ctx context.Context) (int, error) {
	done, after := 0, int64(0)
	for ctx.Err() == nil {
		todo, err := c.db.IDTailsTodo(ctx, after, idTailBatch)
		if err != nil || len(todo) == 0 {
			return done, err
		}
		err = c.db.WithTx(ctx, func(tx repo.Tx) error {
			for _, t := range todo {
				if err := c.setIDTail(ctx, tx, t.ID, t.IDNumberEnc); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done += len(todo)
		after = todo[len(todo)-1].ID
	}
	return done, ctx.Err()
}

// errIDSearchTooShort answers an ID-digit search of fewer than four characters:
// it would match a large part of the plan and the index cannot serve it.
func errIDSearchTooShort() error {
	return domain.Invalid("q", "id_search_too_short",
		"按证件号码查询请至少输入后4位（如 002X），或输入完整证件号码")
}

// idSearch is an ID-digit search split by what can serve it: the full number's
// blind index, or the last four's hash plus (when longer, or masked) a pattern
// the opened number must end with ('*' matches any character).
type idSearch struct {
	fullIdx string
	tailIdx string
	suffix  string // "" when the tail hash alone decides
}

// parseIDSearch applies the search rules: a masked value (with '*') or 5–14
// characters → the rows sharing the last four, then compared after opening;
// exactly 4 → the tail hash; 15 or more → the full number's blind index; fewer
// than 4 (or a masked value not ending in four shown characters) → an error.
func (c *Core) parseIDSearch(s string) (idSearch, error) {
	s = strings.ToUpper(s)
	n := len(s) // ASCII only (isIDSearch)
	if n < 4 || strings.Contains(s[n-4:], "*") {
		return idSearch{}, errIDSearchTooShort()
	}
	masked := strings.Contains(s, "*")
	switch {
	case !masked && n >= 15:
		return idSearch{fullIdx: c.IDNumberIndex(s)}, nil
	case !masked && n == 4:
		return idSearch{tailIdx: c.IDTailIndex(s)}, nil
	}
	return idSearch{tailIdx: c.IDTailIndex(s[n-4:]), suffix: s}, nil
}

// endsLike tells whether the number full ends with pattern, '*' in pattern
// matching any one character.
func endsLike(full, pattern string) bool {
	full = strings.ToUpper(strings.TrimSpace(full))
	if len(full) < len(pattern) {
		return false
	}
	tail := full[len(full)-len(pattern):]
	for i := 0; i < len(pattern); i++ {
		if pattern[i] != '*' && pattern[i] != tail[i] {
			return false
		}
	}
	return true
}

// keepIDSuffix keeps the rows whose opened number ends like suffix.
func (c *Core) keepIDSuffix(rows []repo.ReviewRow, suffix string) ([]repo.ReviewRow, error) {
	out := rows[:0]
	for _, r := range rows {
		full, err := c.pii.Open(r.IDNumberEnc.String)
		if err != nil {
			return nil, domain.Internal(err)
		}
		if endsLike(full, suffix) {
			out = append(out, r)
		}
	}
	return out, nil
}
