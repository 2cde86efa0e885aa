package core

import (
	"context"
	"sync"
	"time"

	"skillcert/repo"
)

// sessionLookups looks up, in one query, the sessions of the requests that
// arrive together (a burst of submits, each with a token this replica has not
// looked up lately): the reader connections then serve a few queries instead
// of one per request. A lookup is never staler than one of its own: it reads
// the database after the request arrived.
//
// A request that finds fewer than sessionLookupLeaders lookups running leads
// one: it takes every lookup waiting (its own among them, unless another
// leader took it first), answers them, and hands the queue to a new leader if
// more arrived meanwhile.
type sessionLookups struct {
	db *repo.DB

	mu       sync.Mutex
	waiting  []*sessionWait
	inflight int
}

// sessionLookupLeaders is how many lookups run at once (the SQLite reader
// pool's size); sessionLookupBatch bounds the tokens of one query.
const (
	sessionLookupLeaders = 4
	sessionLookupBatch   = 256
)

type sessionWait struct {
	hash string
	now  time.Time
	s    repo.Session
	ok   bool
	err  error
	done chan struct{}
}

// lookup returns the valid session of a token hash: ok false when the token is
// unknown, revoked or expired.
func (l *sessionLookups) lookup(ctx context.Context, hash string, now time.Time) (repo.Session, bool, error) {
	w := &sessionWait{hash: hash, now: now, done: make(chan struct{})}
	l.mu.Lock()
	l.waiting = append(l.waiting, w)
	lead := l.inflight < sessionLookupLeaders
	if lead {
		l.inflight++
	}
	l.mu.Unlock()
	if lead {
		l.lead(context.WithoutCancel(ctx))
	}
	<-w.done
	return w.s, w.ok, w.err
}

// lead answers one batch of waiting lookups, then leaves the rest to a new
// leader.
func (l *sessionLookups) lead(ctx context.Context) {
	l.mu.Lock()
	n := min(len(l.waiting), sessionLookupBatch)
	batch := l.waiting[:n:n]
	l.waiting = l.waiting[n:]
	if n == 0 {
		l.inflight--
		l.mu.Unlock()
		return
	}
	l.mu.Unlock()

	l.answer(ctx, batch)

	l.mu.Lock()
	if len(l.waiting) == 0 {
		l.inflight--
		l.mu.Unlock()
		return
	}
	l.mu.Unlock()
	go l.lead(ctx) // this request's answer is not held back by the next batch
}

func (l *sessionLookups) answer(ctx context.Context, batch []*sessionWait) {
	if len(batch) == 1 {
		w := batch[0]
		w.s, w.err = l.db.LookupSession(ctx, w.hash, w.now)
		if repo.IsNoRows(w.err) {
			w.err = nil
		} else {
			w.ok = w.err == nil
		}
		close(w.done)
		return
	}
	// One time for the batch, its latest request's: a session that ended
	// between two of the requests is refused to all of them, never accepted
	// past its end.
	hashes := make([]string, len(batch))
	now := batch[0].now
	for i, w := range batch {
		hashes[i] = w.hash
		if w.now.After(now) {
			now = w.now
		}
	}
	found, err := l.db.LookupSessions(ctx, hashes, now)
	for _, w := range batch {
		w.s, w.ok = found[w.hash]
		w.err = err
		close(w.done)
	}
}
