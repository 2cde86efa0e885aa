package core

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"skillcert/feed"
	"skillcert/repo"
)

const (
	// SessionFeedPoll is how often a replica reads the session revocation feed.
	SessionFeedPoll = time.Second
	// SessionFeedTrust is how long after the start of its last successful read
	// of the feed a replica trusts the sessions it remembers: a revocation
	// committed anywhere is refused here within this time at the latest.
	SessionFeedTrust = 3 * time.Second
	// SessionHold is how long a replica remembers a session it read from the
	// database: a change made by hand in the database, outside the feed, takes
	// effect within this time.
	SessionHold = time.Minute
	// sessionFeedKeep is how long the feed's entries are kept; a replica that
	// could not read the feed for half of it forgets every session and starts
	// again from the feed's head.
	sessionFeedKeep = time.Hour
	// sessionEndedKeep is how long a replica remembers that a session ended, so
	// that a lookup read before the end cannot put it back (see put).
	sessionEndedKeep = feed.GapTimeout
	// sessionCacheMax bounds the remembered sessions; past it the cache starts over.
	sessionCacheMax = 100000
	// sessionCheckEvery is how often a replica reads again, in batches, the
	// sessions it remembers that were used since their last read and have
	// half of SessionHold or less left (CheckHeldSessions). A candidate active
	// on this replica keeps a trusted session; without it, the sessions read
	// at one moment (a wave of sign-ins, the first requests of a burst) would
	// all be read again, one request each, at one moment a minute later.
	sessionCheckEvery = SessionHold / 4
	// sessionCheckMax bounds the sessions one check reads.
	sessionCheckMax = 20000
)

// sessionCache remembers valid sessions by token hash, trusted while the
// session revocation feed is followed (WatchSessionRevocations).
type sessionCache struct {
	mu     sync.Mutex
	m      map[string]heldSession
	ended  map[string]time.Time // sessions learnt ended lately, and when (real time)
	feedAt time.Time            // the start of the last successful read of the feed (real time); zero: trust nothing
}

// heldSession is a remembered session, held until SessionHold after its read.
type heldSession struct {
	repo.Session
	until  time.Time // the clock of the sessions' ends
	readAt time.Time // when the read that found it valid began (real time)
	used   bool      // trusted for a request since that read
}

// get returns the candidate of a remembered session that has not expired by
// now (the clock of the sessions' ends) nor been held for SessionHold, if the
// feed was read lately.
func (sc *sessionCache) get(hash string, now time.Time) (int64, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.feedAt.IsZero() || time.Since(sc.feedAt) > SessionFeedTrust {
		return 0, false
	}
	s, ok := sc.m[hash]
	if !ok || !now.Before(s.ExpiresAt) || !now.Before(s.until) {
		return 0, false
	}
	if !s.used {
		s.used = true
		sc.m[hash] = s
	}
	return s.CandidateID, true
}

// due lists, up to max, the remembered sessions used since their last read
// that have half of SessionHold or less left at now (the clock of the
// sessions' ends) and have not expired.
func (sc *sessionCache) due(now time.Time, max int) []string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	var out []string
	for h, s := range sc.m {
		if len(out) >= max {
			break
		}
		if s.used && s.until.Sub(now) <= SessionHold/2 && now.Before(s.ExpiresAt) {
			out = append(out, h)
		}
	}
	return out
}

// checked takes a read of the sessions asked, begun at readAt (real time) at
// now (the clock of the sessions' ends), that found the valid ones: those are
// held again for SessionHold (unless they ended here since the read began, as
// put), the others are no longer remembered, unless read again since. It
// returns how many of each.
func (sc *sessionCache) checked(asked []string, found map[string]repo.Session, now, readAt time.Time) (kept, dropped int) {
	for _, h := range asked {
		if s, ok := found[h]; ok {
			sc.put(h, s, now, readAt)
			kept++
			continue
		}
		sc.mu.Lock()
		if s, ok := sc.m[h]; ok && !s.readAt.After(readAt) {
			delete(sc.m, h)
		}
		sc.mu.Unlock()
		dropped++
	}
	return kept, dropped
}

// put remembers a session found valid at now (the clock of the sessions' ends)
// by a read of the database that started at readAt (real time). A session
// that ended after that read began, as far as this replica knows, is not
// remembered: the feed may already have told this replica of its end, before
// the put.
func (sc *sessionCache) put(hash string, s repo.Session, now, readAt time.Time) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if time.Since(readAt) > sessionEndedKeep/2 {
		return // the read is too old to be sure of
	}
	if at, ok := sc.ended[hash]; ok && !at.Before(readAt) {
		return
	}
	if sc.m == nil || len(sc.m) >= sessionCacheMax {
		sc.m = make(map[string]heldSession)
	}
	sc.m[hash] = heldSession{Session: s, until: now.Add(SessionHold), readAt: readAt}
}

// forget drops a session that ended.
func (sc *sessionCache) forget(hash string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.endLocked(hash, time.Now())
}

func (sc *sessionCache) endLocked(hash string, at time.Time) {
	delete(sc.m, hash)
	if sc.ended == nil {
		sc.ended = make(map[string]time.Time)
	}
	sc.ended[hash] = at
}

// applied takes a successful read of the feed that started at readAt: the
// sessions it names end here, and what is remembered is trusted again. With
// restart (the feed was read from its head, so the ends before it are not in
// it), the sessions read before readAt are dropped; those read since saw every
// end committed before their read.
func (sc *sessionCache) applied(ended []repo.SessionRevocation, readAt time.Time, restart bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	now := time.Now()
	if restart {
		for h, s := range sc.m {
			if s.readAt.Before(readAt) {
				delete(sc.m, h)
			}
		}
	}
	for _, r := range ended {
		sc.endLocked(r.TokenHash, now)
	}
	for h, at := range sc.ended {
		if now.Sub(at) > sessionEndedKeep {
			delete(sc.ended, h)
		}
	}
	sc.feedAt = readAt
}

// SessionFeedAge is how long ago this replica's last successful read of the
// session revocation feed began; ok is false before the first. Past
// SessionFeedTrust every request reads its session from the database.
func (c *Core) SessionFeedAge() (age time.Duration, ok bool) {
	c.sessions.mu.Lock()
	defer c.sessions.mu.Unlock()
	if c.sessions.feedAt.IsZero() {
		return 0, false
	}
	return time.Since(c.sessions.feedAt), true
}

// SessionsAuthenticated counts the requests whose session this replica
// trusted from memory and those whose session it read from the database.
func (c *Core) SessionsAuthenticated() (remembered, read int64) {
	return c.sessionStats.remembered.Load(), c.sessionStats.read.Load()
}

// sessionStats counts the sessions AuthenticateSession trusted from memory and
// read from the database, and those CheckHeldSessions read again.
type sessionStats struct {
	remembered, read, checked atomic.Int64
}

// SessionsChecked counts the remembered sessions read again ahead of the end
// of their hold (CheckHeldSessions).
func (c *Core) SessionsChecked() int64 { return c.sessionStats.checked.Load() }

// CheckHeldSessions reads again, in batches, the sessions this replica
// remembers that were used since their last read and have half of SessionHold
// or less left: the valid ones are held for SessionHold again, the others
// forgotten. WatchSessionRevocations runs it every sessionCheckEvery. A
// change made by hand in the database still takes effect within SessionHold,
// since every held session was read within it.
func (c *Core) CheckHeldSessions(ctx context.Context) (kept, dropped int, err error) {
	now := c.now().UTC()
	due := c.sessions.due(now, sessionCheckMax)
	for len(due) > 0 {
		batch := due[:min(len(due), sessionLookupBatch)]
		due = due[len(batch):]
		readAt := time.Now()
		found, err := c.db.LookupSessions(ctx, batch, now)
		if err != nil {
			return kept, dropped, err
		}
		k, d := c.sessions.checked(batch, found, now, readAt)
		kept, dropped = kept+k, dropped+d
		c.sessionStats.checked.Add(int64(len(batch)))
	}
	return kept, dropped, nil
}

// sessionFeed is this replica's position in the session revocation feed.
type sessionFeed struct {
	src      feed.Source[repo.SessionRevocation]
	pos      feed.Cursor
	loaded   bool
	gapsWarn bool
}

func newSessionFeed(db *repo.DB) sessionFeed {
	return sessionFeed{src: db.SessionRevocationFeed()}
}

// WatchSessionRevocations reads the session revocation feed every
// SessionFeedPoll and prunes it every minute, until ctx ends. While it runs the
// sessions this replica remembers are trusted (AuthenticateSession); before it
// starts, and whenever it has not read the feed for SessionFeedTrust, every
// request reads its session from the database. Beside it, the sessions in use
// are read again ahead of the end of their hold (CheckHeldSessions, every
// sessionCheckEvery).
func (c *Core) WatchSessionRevocations(ctx context.Context) {
	poll := time.NewTicker(SessionFeedPoll)
	defer poll.Stop()
	prune := time.NewTicker(time.Minute)
	defer prune.Stop()
	go c.checkHeldSessionsEvery(ctx, sessionCheckEvery)
	failing := false
	for {
		if err := c.readSessionFeed(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			if !failing {
				c.log.Warn("session revocation feed unreadable; sessions are read from the database until it is back", "err", err)
			}
			failing = true
		} else if failing {
			failing = false
			c.log.Info("session revocation feed readable again")
		}
		select {
		case <-ctx.Done():
			return
		case <-poll.C:
		case <-prune.C:
			if _, err := c.db.PruneSessionRevocations(ctx, time.Now().Add(-sessionFeedKeep)); err != nil && ctx.Err() == nil {
				c.log.Warn("session revocation feed: prune failed", "err", err)
			}
		}
	}
}

// readSessionFeed reads the feed once (from its head the first time, or after
// half of sessionFeedKeep without a read) and applies it to the cache.
func (c *Core) readSessionFeed(ctx context.Context) error {
	f := &c.sessionFeed
	now := time.Now()
	if !f.loaded || now.Sub(f.pos.At) > sessionFeedKeep/2 {
		pos, err := f.src.Head(ctx, now)
		if err != nil {
			return err
		}
		f.pos, f.loaded = pos, true
		c.sessions.applied(nil, now, true)
		return nil
	}
	pos, ended, dropped, err := f.src.Read(ctx, f.pos, now)
	if err != nil {
		return err
	}
	if dropped > 0 && !f.gapsWarn {
		f.gapsWarn = true
		c.log.Warn("session revocation feed: too many skipped ids to follow", "dropped", dropped)
	}
	f.pos = pos
	c.sessions.applied(ended, now, false)
	return nil
}

// checkHeldSessionsEvery runs CheckHeldSessions every interval until ctx
// ends, on its own goroutine: a long check does not hold back the feed.
func (c *Core) checkHeldSessionsEvery(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, _, err := c.CheckHeldSessions(ctx); err != nil && ctx.Err() == nil {
			c.log.Warn("remembered sessions not read again; each is read by its next request after its hold", "err", err)
		}
	}
}
