package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Claims are short leases (Config.Lease, 10 s) that a live dispatcher renews
// every third of a lease for every row it holds, queued or being sent. A
// dispatcher that dies stops renewing, so its rows are due again within one
// lease; one that restarts under the same name (Config.ID) hands back the claims
// of its previous run at once. Claim tokens are <ID>/<run>/<n>: the run part
// tells the previous run's claims from the current one's.

// runPrefix is the start of every claim token of this run.
func (d *Dispatcher) runPrefix() string { return d.cfg.ID + "/" + d.boot + "/" }

// hold notes a claimed row as in hand, for the heartbeat.
func (d *Dispatcher) hold(id int64, token string) {
	d.heldMu.Lock()
	d.held[id] = token
	d.heldMu.Unlock()
}

// unhold forgets a row once its job is done.
func (d *Dispatcher) unhold(id int64, token string) {
	d.heldMu.Lock()
	if d.held[id] == token {
		delete(d.held, id)
	}
	d.heldMu.Unlock()
}

// heartbeat renews the claims in hand every third of a lease until the workers
// are done (Shutdown) or ctx ends (a hard stop).
func (d *Dispatcher) heartbeat(ctx context.Context) {
	defer d.hbWG.Done()
	t := time.NewTicker(max(d.cfg.Lease/3, 10*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.hbStop:
			return
		case <-t.C:
			d.renew(ctx)
		}
	}
}

// renew extends the claims in hand by a lease from now.
func (d *Dispatcher) renew(ctx context.Context) {
	d.heldMu.Lock()
	ids := make([]int64, 0, len(d.held))
	seen := map[string]bool{}
	var tokens []string
	for id, tok := range d.held {
		ids = append(ids, id)
		if !seen[tok] {
			seen[tok] = true
			tokens = append(tokens, tok)
		}
	}
	d.heldMu.Unlock()
	if len(ids) == 0 {
		return
	}
	rctx, cancel := context.WithTimeout(ctx, max(d.cfg.Lease/3, time.Second))
	defer cancel()
	if _, err := d.db.RenewOutboxClaims(rctx, ids, tokens, utc(d.now()).Add(d.cfg.Lease)); err != nil && ctx.Err() == nil {
		d.log.Warn("renew outbox claims (they are due elsewhere when the lease ends)", "rows", len(ids), "err", err)
	}
}

// releasePrevious hands back the claims a previous run of this dispatcher left
// (it crashed or was killed): they are due at once instead of when their lease
// ends. The deliveries it had begun are in doubt and resolved as after any crash.
func (d *Dispatcher) releasePrevious() {
	ctx, cancel := dbContext(d.stopCtx)
	defer cancel()
	n, err := d.db.ReleasePreviousClaims(ctx, d.cfg.ID+"/", d.runPrefix(), utc(d.now()))
	switch {
	case err != nil && d.stopCtx.Err() == nil:
		d.log.Warn("hand back the claims of this dispatcher's previous run (they are due when their lease ends)", "err", err)
	case n > 0:
		d.log.Info("handed back the claims of this dispatcher's previous run", "rows", n)
	}
}

// randomHex is n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
