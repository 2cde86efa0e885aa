package planindex

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"skillcert/domain"
	"skillcert/feed"
	"skillcert/repo"
)

// Index is an in-memory read model of the plans candidates may see (published
// or closed). Searching 100,000 plans with an exact total in SQL costs about 1% of
// a trivial request on this hardware (see PERF-NOTES.md); this index answers with
// exact totals from memory.
//
// Consistency across replicas (docs/SCALING.md): every plan write records its
// plan in the plan_changes feed in its own transaction. Every PollInterval a
// replica reads the feed past the highest id it has seen and reloads the plans
// named there. An id assigned before a commit that is still pending (or rolled
// back) is a gap: it is asked for again at each poll until it appears or
// feed.GapTimeout passes (package feed). So no committed change is missed,
// whatever the writers' clocks and however long a write waited for a lock.
// Every ReconcileInterval a replica also compares each plan's state, seats and
// time of change with its model (a safety net for writes made outside the repo,
// e.g. by hand), and a replica that changes a plan calls Refresh (or
// SetSeatsTaken) right after its commit, so its own readers see the change at
// once. A published snapshot is
// immutable except for the seat counters, which change without a rebuild.
type Index struct {
	db   *repo.DB
	log  *slog.Logger
	now  func() time.Time
	snap atomic.Pointer[planSnapshot]

	refreshMu sync.Mutex          // serialises refreshes (held while a snapshot is built)
	mu        sync.Mutex          // guards bases and the publication of snapshots; held briefly
	bases     map[int64]*planBase // every visible plan, owned by refreshes
	syms      symbols             // the plans' repeated strings, owned by refreshes

	// The feed's position, owned by refreshes (refreshMu).
	loaded   bool
	pos      feed.Cursor // pos.At: the last successful read of the feed (real time)
	feed     feed.Source[repo.PlanChange]
	gapsWarn bool // the gap cap was hit (logged once)

	stopOnce sync.Once
	stop     chan struct{}

	onFull func(planID int64) // told when a plan's seats are learnt all taken (OnFull)
}

// OnFull registers fn to be told each time the model learns that a plan's
// seats are all taken: from SetSeatsTaken (this replica's submits) and from a
// refresh that reads the plan's row (another replica's, through the change
// feed). fn runs with the model's lock held: it must be quick and must not call
// back into the Index. Call it before Start; a later call replaces fn.
func (ix *Index) OnFull(fn func(planID int64)) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.onFull = fn
}

// toldFull calls onFull for a plan whose seats are all taken. Call with ix.mu held.
func (ix *Index) toldFull(planID int64, taken, total int) {
	if ix.onFull != nil && total > 0 && taken >= total {
		ix.onFull(planID)
	}
}

// PollInterval is how often a replica reads the plan change feed.
const PollInterval = time.Second

// ReconcileInterval is how often a replica compares every plan with its model
// (and prunes the feed).
const ReconcileInterval = time.Minute

const (
	// feedRetention is how long feed entries are kept. A replica that could not
	// read the feed for half of it reloads every plan.
	feedRetention = time.Hour
)

// planHot holds what the filters read, packed so that walking 100,000 of them
// stays in cache.
type planHot struct {
	regStart, deadline, evalStart int32 // days since 1970-01-01 (Beijing dates)
	occ, wt                       int32 // term ids; wt is -1 when the plan has no work type
	seatsTotal                    int32
	seats                         int32 // seats taken, live: read and written atomically
	city                          int16
	level                         int8
	closed                        bool // closed early by the institution
}

// The sort orders of plan search.
const (
	sortDeadline = iota
	sortEvalStart
	sortNewest
	numSorts
)

// planSnapshot is an immutable view of every visible plan (apart from seat
// counts). Entries are numbered 0..n-1; each sort has its own space of positions
// (its global order) with a bitset per level, city and occupation name.
type planSnapshot struct {
	hot    []planHot
	bases  []*planBase
	ids    []int64  // entry → plan id, ascending
	names  []string // symbol id → name (see symbols)
	space  [numSorts]*sortSpace
	terms  []string // term id → occupation or work-type name
	cityID map[string]int16
	cities []string // cities with visible plans, most plans first
	occs   []string // occupation names with visible plans, most plans first

	termCache sync.Map // query → []int32 matching term ids
	cacheSize atomic.Int32
}

// sortSpace is one sort's global order and the sets over its positions.
type sortSpace struct {
	order  []int32 // position → entry
	pos    []int32 // entry → position
	level  [6]bitset
	city   []bitset
	term   []bitset
	closed bitset // closed early by the institution
	full   bitset // no seat left; changed atomically as seats change

	dayMu sync.Mutex
	day   atomic.Pointer[daySets]
}

// daySets are the sets that depend on the date: they are computed once per day
// (and per snapshot).
type daySets struct {
	today    int32
	closed   bitset // deadline passed, or closed early
	upcoming bitset // registration not yet open
	window   bitset // registration open today (with or without seats left)
}

// New builds an empty index; Refresh or Start loads it.
func New(db *repo.DB, log *slog.Logger, now func() time.Time) *Index {
	ix := &Index{db: db, log: log, now: now, bases: map[int64]*planBase{},
		syms: symbols{ids: map[string]uint32{}}, stop: make(chan struct{}),
		feed: db.PlanChangeFeed()}
	ix.snap.Store(buildSnapshot(nil, nil))
	return ix
}

// Start loads every plan, then reads the change feed every PollInterval and
// reconciles every ReconcileInterval, until ctx ends or Stop. Both run off the
// request path.
func (ix *Index) Start(ctx context.Context) error {
	if err := ix.Refresh(ctx); err != nil {
		return err
	}
	go func() {
		poll := time.NewTicker(PollInterval)
		defer poll.Stop()
		rec := time.NewTicker(ReconcileInterval)
		defer rec.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ix.stop:
				return
			case <-poll.C:
				if err := ix.Refresh(ctx); err != nil && ctx.Err() == nil {
					ix.log.Warn("plan index refresh failed", "err", err)
				}
			case <-rec.C:
				if err := ix.Reconcile(ctx); err != nil && ctx.Err() == nil {
					ix.log.Warn("plan index reconciliation failed", "err", err)
				}
			}
		}
	}()
	return nil
}

// Stop ends polling; safe to call more than once, and before Start.
func (ix *Index) Stop() {
	ix.stopOnce.Do(func() { close(ix.stop) })
}

// Refresh reads the change feed and reloads the plans it names (every plan on
// the first call, after a bulk load, or when the feed could not be read for
// long), publishing a new snapshot when anything but seat counts changed. The
// snapshot is built without holding the lock that seat updates take, so a
// rebuild (about a second at 100,000 plans) never holds up a submit.
func (ix *Index) Refresh(ctx context.Context) error {
	ix.refreshMu.Lock()
	defer ix.refreshMu.Unlock()
	if !ix.loaded || time.Since(ix.pos.At) > feedRetention/2 {
		return ix.reloadAll(ctx)
	}
	pos, ids, all, err := ix.readFeed(ctx)
	if err != nil {
		return err
	}
	if all {
		return ix.reloadAll(ctx)
	}
	if len(ids) > 0 {
		rows, err := ix.db.PlansByID(ctx, ids)
		if err != nil {
			return err
		}
		ix.apply(ids, rows)
	}
	ix.pos, ix.loaded = pos, true // only once the plans are applied: a failure re-reads the same entries
	return nil
}

// readFeed reads the entries past the highest seen and the skipped ids that
// have appeared since. It returns the new position, the plans to reload, and
// whether every plan must be reloaded.
func (ix *Index) readFeed(ctx context.Context) (feed.Cursor, []int64, bool, error) {
	pos, changes, dropped, err := ix.feed.Read(ctx, ix.pos, time.Now())
	if err != nil {
		return pos, nil, false, err
	}
	if dropped > 0 && !ix.gapsWarn {
		ix.gapsWarn = true
		ix.log.Warn("plan change feed: too many skipped ids to follow; reconciliation will catch what they hide", "dropped", dropped)
	}
	seen := map[int64]bool{}
	var ids []int64
	for _, c := range changes {
		if c.PlanID == 0 {
			return pos, nil, true, nil
		}
		if !seen[c.PlanID] {
			seen[c.PlanID] = true
			ids = append(ids, c.PlanID)
		}
	}
	return pos, ids, false, nil
}

// reloadAll loads every plan and starts following the feed from its head. The
// head is read first, so a change committed after the load is read from the
// feed; ids just below it that are not there yet are followed as gaps.
func (ix *Index) reloadAll(ctx context.Context) error {
	pos, err := ix.feed.Head(ctx, time.Now())
	if err != nil {
		return err
	}
	rows, err := ix.db.AllPlans(ctx)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(rows))
	ix.mu.Lock()
	for id := range ix.bases {
		ids = append(ids, id) // plans gone from the database are dropped
	}
	ix.mu.Unlock()
	for i := range rows {
		ids = append(ids, rows[i].ID)
	}
	ix.apply(ids, rows)
	ix.pos, ix.loaded = pos, true
	return nil
}

// apply puts the rows read for the plans ids into the model: a plan of ids with
// no row, or no longer visible, leaves it. Call with refreshMu held.
func (ix *Index) apply(ids []int64, rows []repo.Plan) {
	ix.mu.Lock()
	structural := false
	got := make(map[int64]bool, len(rows))
	for i := range rows {
		r := &rows[i]
		got[r.ID] = true
		old := ix.bases[r.ID]
		visible := r.State == repo.PlanPublished || r.State == repo.PlanClosed
		if !visible {
			if old != nil {
				delete(ix.bases, r.ID)
				structural = true
			}
			continue
		}
		ix.toldFull(r.ID, r.SeatsTaken, r.SeatsTotal)
		b := newBase(r, &ix.syms)
		if old != nil && old.sameButSeats(b) {
			old.ver.Store(r.UpdatedAt.UnixMicro())
			old.seats.Store(int32(r.SeatsTaken))
			ix.snap.Load().storeSeats(r.ID, int32(r.SeatsTaken))
			continue
		}
		ix.bases[r.ID] = b // its seat counter is the row's: seat updates take ix.mu too
		structural = true
	}
	for _, id := range ids {
		if !got[id] && ix.bases[id] != nil { // deleted
			delete(ix.bases, id)
			structural = true
		}
	}
	var bases map[int64]*planBase
	if structural {
		bases = maps.Clone(ix.bases) // only refreshes change the set, and they wait on refreshMu
	}
	ix.mu.Unlock()
	if !structural {
		return
	}
	next := buildSnapshot(bases, ix.syms.names)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	next.syncSeats() // seat updates made while it was built
	ix.snap.Store(next)
}

// Reconcile compares every plan's state, seats taken and time of change with
// the model and reloads the plans that differ; then it prunes feed entries older
// than feedRetention. The feed misses nothing the repo's writes record, so a
// difference means a write went around it (by hand, or an old build): it is
// logged.
func (ix *Index) Reconcile(ctx context.Context) error {
	ix.refreshMu.Lock()
	defer ix.refreshMu.Unlock()
	if !ix.loaded {
		return ix.reloadAll(ctx)
	}
	vers, err := ix.db.PlanVersions(ctx)
	if err != nil {
		return err
	}
	var stale []int64
	ix.mu.Lock()
	inDB := make(map[int64]bool, len(vers))
	for _, v := range vers {
		inDB[v.ID] = true
		b := ix.bases[v.ID]
		visible := v.State == repo.PlanPublished || v.State == repo.PlanClosed
		switch {
		case visible != (b != nil):
			stale = append(stale, v.ID)
		case b != nil && (ix.syms.names[b.sym[symState]] != v.State || b.ver.Load() != v.UpdatedAt.UnixMicro() || int(b.seats.Load()) != v.SeatsTaken):
			stale = append(stale, v.ID)
		}
	}
	for id := range ix.bases {
		if !inDB[id] {
			stale = append(stale, id)
		}
	}
	ix.mu.Unlock()
	if len(stale) > 0 {
		rows, err := ix.db.PlansByID(ctx, stale)
		if err != nil {
			return err
		}
		ix.apply(stale, rows)
		ix.log.Info("plan index reconciliation reloaded plans that differed from the database", "plans", len(stale))
	}
	if _, err := ix.db.PrunePlanChanges(ctx, time.Now().Add(-feedRetention)); err != nil {
		ix.log.Warn("prune the plan change feed", "err", err)
	}
	return nil
}

// SetSeatsTaken updates one plan's seat count at once (after a submit or a
// cancellation commits), without waiting for the next poll.
func (ix *Index) SetSeatsTaken(planID int64, taken int) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if b := ix.bases[planID]; b != nil {
		b.seats.Store(int32(taken))
		ix.snap.Load().storeSeats(planID, int32(taken))
		ix.toldFull(planID, taken, int(b.seatsTotal))
	}
}

// storeSeats sets the live seat count of a plan in this snapshot.
func (s *planSnapshot) storeSeats(planID int64, taken int32) {
	if i, ok := s.entry(planID); ok {
		s.storeSeatsAt(i, taken)
	}
}

// entry finds a plan's entry.
func (s *planSnapshot) entry(planID int64) (int32, bool) {
	i, ok := slices.BinarySearch(s.ids, planID)
	return int32(i), ok
}

// storeSeatsAt sets the live seat count of entry i.
func (s *planSnapshot) storeSeatsAt(i int32, taken int32) {
	atomic.StoreInt32(&s.hot[i].seats, taken)
	full := taken >= s.hot[i].seatsTotal
	for _, sp := range s.space {
		if full {
			sp.full.setAtomic(sp.pos[i])
		} else {
			sp.full.clearAtomic(sp.pos[i])
		}
	}
}

// syncSeats copies every plan's live seat count into the snapshot (before it
// is published, with the index's lock held).
func (s *planSnapshot) syncSeats() {
	for i, b := range s.bases {
		if n := b.seats.Load(); n != s.hot[i].seats {
			s.storeSeatsAt(int32(i), n)
		}
	}
}

// seatsTaken reads the live seat count of entry e.
func (s *planSnapshot) seatsTaken(e int32) int32 { return atomic.LoadInt32(&s.hot[e].seats) }

// dayNumber turns a YYYY-MM-DD date into days since 1970-01-01 (0 when malformed).
func dayNumber(d string) int32 {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return 0
	}
	return int32(t.Unix() / 86400)
}

// Today is the Beijing date of now as a day number (days since 1970-01-01).
func Today(now time.Time) int32 { return todayNumber(now) }

// todayNumber is today's Beijing date as a day number.
func todayNumber(now time.Time) int32 {
	b := now.In(domain.Beijing)
	return int32(time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// buildSnapshot builds the snapshot of bases; names are the symbols' names
// (every id the bases use).
func buildSnapshot(bases map[int64]*planBase, names []string) *planSnapshot {
	n := len(bases)
	s := &planSnapshot{hot: make([]planHot, 0, n), bases: make([]*planBase, 0, n), ids: make([]int64, 0, n),
		names: names, cityID: map[string]int16{}}
	for id := range bases {
		s.ids = append(s.ids, id)
	}
	slices.Sort(s.ids)
	termIDs := map[string]int32{}
	termOf := func(name string) int32 {
		id, ok := termIDs[name]
		if !ok {
			id = int32(len(s.terms))
			termIDs[name] = id
			s.terms = append(s.terms, name)
		}
		return id
	}
	days := make([]int32, len(names)) // symbol → day number, for the date symbols
	dayOf := func(sym uint32) int32 {
		if days[sym] == 0 {
			days[sym] = dayNumber(names[sym])
		}
		return days[sym]
	}
	cityCount, occCount := map[string]int{}, map[string]int{}
	published := make([]int64, n)
	for i, id := range s.ids {
		b := bases[id]
		occ, city := names[b.sym[symOccupation]], names[b.sym[symCity]]
		h := planHot{regStart: dayOf(b.sym[symRegStart]), deadline: dayOf(b.sym[symRegDeadline]), evalStart: dayOf(b.sym[symEvalStart]),
			occ: termOf(occ), wt: -1, seatsTotal: b.seatsTotal, seats: b.seats.Load(),
			level: b.level, closed: names[b.sym[symState]] == repo.PlanClosed}
		if w := names[b.sym[symWorkType]]; w != "" && w != "无" && w != occ {
			h.wt = termOf(w)
		}
		cid, ok := s.cityID[city]
		if !ok {
			cid = int16(len(s.cityID))
			s.cityID[city] = cid
		}
		h.city = cid
		s.hot = append(s.hot, h)
		s.bases = append(s.bases, b)
		published[i] = b.publishedMicros()
		cityCount[city]++
		occCount[occ]++
	}
	s.cities, s.occs = keysByCount(cityCount), keysByCount(occCount)
	// Entries are in id order, so equal keys keep id order (newest: reversed).
	keys := [numSorts]func(e int32) int64{
		sortDeadline:  func(e int32) int64 { return int64(s.hot[e].deadline) },
		sortEvalStart: func(e int32) int64 { return int64(s.hot[e].evalStart) },
		sortNewest:    func(e int32) int64 { return -published[e] },
	}
	for k := 0; k < numSorts; k++ {
		s.space[k] = s.buildSpace(keys[k], k == sortNewest)
	}
	return s
}

func (s *planSnapshot) buildSpace(key func(e int32) int64, idDesc bool) *sortSpace {
	n := len(s.hot)
	sp := &sortSpace{order: make([]int32, n), pos: make([]int32, n), closed: newBitset(n), full: newBitset(n),
		city: make([]bitset, len(s.cityID)), term: make([]bitset, len(s.terms))}
	for i := range sp.order {
		sp.order[i] = int32(i)
	}
	slices.SortStableFunc(sp.order, func(a, b int32) int {
		ka, kb := key(a), key(b)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		case idDesc:
			return int(b - a)
		}
		return int(a - b)
	})
	for l := range sp.level {
		sp.level[l] = newBitset(n)
	}
	for c := range sp.city {
		sp.city[c] = newBitset(n)
	}
	for t := range sp.term {
		sp.term[t] = newBitset(n)
	}
	for p, e := range sp.order {
		sp.pos[e] = int32(p)
		h := &s.hot[e]
		pos := int32(p)
		sp.level[h.level].set(pos)
		sp.city[h.city].set(pos)
		sp.term[h.occ].set(pos)
		if h.wt >= 0 {
			sp.term[h.wt].set(pos)
		}
		if h.closed {
			sp.closed.set(pos)
		}
		if h.seats >= h.seatsTotal {
			sp.full.set(pos)
		}
	}
	return sp
}

// days returns the date-dependent sets of a day, computing them once.
func (sp *sortSpace) days(s *planSnapshot, today int32) *daySets {
	if d := sp.day.Load(); d != nil && d.today == today {
		return d
	}
	sp.dayMu.Lock()
	defer sp.dayMu.Unlock()
	if d := sp.day.Load(); d != nil && d.today == today {
		return d
	}
	n := len(sp.order)
	d := &daySets{today: today, closed: newBitset(n), upcoming: newBitset(n), window: newBitset(n)}
	for p, e := range sp.order {
		h := &s.hot[e]
		switch windowStatus(h.regStart, h.deadline, h.closed, today) {
		case StatusClosed:
			d.closed.set(int32(p))
		case StatusUpcoming:
			d.upcoming.set(int32(p))
		default:
			d.window.set(int32(p))
		}
	}
	sp.day.Store(d)
	return d
}

func keysByCount(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if m[out[i]] != m[out[j]] {
			return m[out[i]] > m[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// matchTerms returns the ids of the occupation and work-type names that contain q.
func (s *planSnapshot) matchTerms(q string) []int32 {
	if v, ok := s.termCache.Load(q); ok {
		return v.([]int32)
	}
	var ids []int32
	for id, name := range s.terms {
		if strings.Contains(name, q) {
			ids = append(ids, int32(id))
		}
	}
	if s.cacheSize.Add(1) <= 4096 { // bounded: arbitrary queries must not grow memory
		s.termCache.Store(q, ids)
	}
	return ids
}
