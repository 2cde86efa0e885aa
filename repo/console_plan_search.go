package repo

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
)

// The console's plan search (PlanFilter.Text) matches the plan number
// exactly, or a part of the name or of the occupation (LIKE '%…%'). No index
// serves that LIKE: a search that matches few plans read every plan, for the
// page and for the capped count (110–300 ms at 100,000 plans). plan_grams
// (migration 00031) holds each character and each pair of adjacent
// characters of every plan's name and occupation, written with the plan
// (plan-grams-write; plan-grams-fill for a bulk insert). A plan holding the text holds every gram of it, so the
// plans holding the text's rarest gram are a superset of the matches: the
// search walks that gram's plans by key, and the LIKE (in
// console-plan-among-older, the rule) keeps the matches. The plan whose
// number is the text is walked with them.
//
// An institution's list reads its own plans by (institution_id, id) and tries
// the LIKE on each, as before: an institution has few plans, fewer than
// most grams. The 最近有动态 order does too (the grams are in id order).

// gramPickCap is how far the store counts each gram's plans when it picks the
// rarest: past it a gram is as good as any other. gramPickMax is how many of
// a text's grams it counts (any gram of the text would do).
const (
	gramPickCap = 5000
	gramPickMax = 8
)

// planSearch is how a page or count of f searches its text.
type planSearch struct {
	db     *DB
	use    bool   // walk plan_grams (else the plans, trying the LIKE on each)
	gram   string // the text's rarest gram ("" when some gram of it is held by no plan)
	byNo   int64  // the plan whose number is the text, 0 for none
	byNoIn bool   // the plan byNo holds gram
	// whole: the text is its gram (one or two characters, neither a space
	// at its end, which MariaDB's PAD SPACE comparison would drop), so the
	// plans holding the gram are exactly those whose name or occupation
	// holds the text.
	whole bool
}

// planGrams are up to max of the grams plan-grams-fill writes for a text:
// its characters (of a text of one) or its pairs of adjacent characters,
// distinct, from its start.
func planGrams(text string, max int) []string {
	r := []rune(text)
	if len(r) == 1 {
		return []string{text}
	}
	var out []string
	for i := 0; i+1 < len(r) && len(out) < max; i++ {
		g := string(r[i : i+2])
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// ResolvePlanSearch returns f with its search resolved (the gram a page and
// a count of f walk, the plan whose number is the text), so that the page and
// its count, given the filter returned, do not each pick it again: the pick
// costs up to 8 capped counts and a lookup. f is returned as it is when its
// page does not search through plan_grams.
func (db *DB) ResolvePlanSearch(ctx context.Context, f PlanFilter) (PlanFilter, error) {
	if f.Phase == PhasePending || f.Sort == SortActivity || f.search != nil {
		return f, nil
	}
	s, err := db.planSearch(ctx, f)
	if err != nil {
		return f, err
	}
	f.search = &s
	return f, nil
}

// planSearch picks the gram f's search walks, and finds the plan whose number
// is the text (or returns what ResolvePlanSearch picked).
func (db *DB) planSearch(ctx context.Context, f PlanFilter) (planSearch, error) {
	if f.search != nil {
		return *f.search, nil
	}
	text := likeText(f.Text)
	// A text of spaces alone is left to the scan: MariaDB's collations
	// compare ' ' equal to '' (PAD SPACE), and its filter reads as unset.
	if strings.TrimSpace(text) == "" || f.InstitutionID != 0 {
		return planSearch{}, nil
	}
	s := planSearch{db: db, use: true}
	best := -1
	grams := planGrams(text, gramPickMax)
	if len(grams) == 1 && len([]rune(text)) <= 2 { // no choice to make
		s.gram = grams[0]
		s.whole = s.gram == text && !strings.HasSuffix(text, " ")
		grams = nil
	}
	for _, g := range grams {
		var n int
		if err := db.get(ctx, db.R, &n, qConsolePlanGramCount, g, gramPickCap); err != nil {
			return s, err
		}
		if best < 0 || n < best {
			s.gram, best = g, n
		}
		if n == 0 { // no plan holds the text
			s.gram = ""
			break
		}
	}
	var ids []int64
	if err := db.sel(ctx, db.R, &ids, qConsolePlanIDByNo, f.Text); err != nil {
		return s, err
	}
	if len(ids) > 0 {
		s.byNo = ids[0]
		if s.gram != "" {
			var n int
			if err := db.get(ctx, db.R, &n, qConsolePlanGramHolds, s.gram, s.byNo); err != nil {
				return s, err
			}
			s.byNoIn = n > 0
		}
	}
	return s, nil
}

// walk is the search's idSource: the plans holding its gram, and the plan
// whose number is the text among them in key order.
func (s planSearch) walk(ctx context.Context, key int64, newer bool, n int) ([]int64, error) {
	db := s.db
	var ids []int64
	if s.gram != "" {
		q := qConsolePlanGramOlder
		if newer {
			q = qConsolePlanGramNewer
		}
		if err := db.sel(ctx, db.R, &ids, q, s.gram, key, n); err != nil {
			return nil, err
		}
	}
	if s.byNo == 0 || s.byNoIn {
		return ids, nil
	}
	// The batch covers the ids from the key to its last one, or to the end
	// of the walk when it is short.
	beyond := func(id int64) bool { return id > key }
	if newer {
		beyond = func(id int64) bool { return id < key }
	}
	if beyond(s.byNo) || s.byNo == key {
		return ids, nil
	}
	if len(ids) == n {
		last := ids[len(ids)-1]
		if (!newer && s.byNo < last) || (newer && s.byNo > last) {
			return ids, nil // a later batch's
		}
	}
	i, _ := slices.BinarySearchFunc(ids, s.byNo, func(a, b int64) int {
		if newer {
			return cmp.Compare(a, b)
		}
		return cmp.Compare(b, a)
	})
	return slices.Insert(ids, i, s.byNo), nil
}

// gramHoldersCap is how far the estimate of a search's count counts the plans
// holding its gram.
const gramHoldersCap = 1_000_000

// countPlanSearch is CountConsolePlansApprox for a search through plan_grams:
// the plans holding the gram that match, newest first, up to exact+1 (or the
// limit); with no more than exact, that is the count. Beyond it the count is
// estimated: the matches' share of the holders among the ids counted, over
// all the holders. The plan whose number is the text is added when it does
// not hold the gram and matches the other filters.
func (db *DB) countPlanSearch(ctx context.Context, f PlanFilter, s planSearch, limit, exact int) (ListCount, error) {
	var c ListCount
	if s.whole && f.Region == "" && f.State == "" && f.Phase == "" {
		// The text is its gram: the plans holding it are the matches,
		// counted from plan_grams' key alone.
		if err := db.get(ctx, db.R, &c.N, qConsolePlanGramCount, s.gram, limit); err != nil {
			return c, err
		}
	} else if s.gram != "" {
		var span newestSpan
		if err := db.getF(ctx, db.R, &span, qConsolePlanGramSearchNewest, append(append([]any{s.gram}, f.args()...), min(limit, exact+1))...); err != nil {
			return c, err
		}
		c.N = span.N
		if span.N > exact {
			var all, sampled int
			if err := db.get(ctx, db.R, &all, qConsolePlanGramCount, s.gram, gramHoldersCap); err != nil {
				return c, err
			}
			if err := db.get(ctx, db.R, &sampled, qConsolePlanGramHoldersFrom, s.gram, span.Low); err != nil {
				return c, err
			}
			if sampled > 0 {
				c.N = max(span.N, int(math.Round(float64(span.N)*float64(all)/float64(sampled))))
			}
			c.Approx = true
		}
	}
	if s.byNo != 0 && !s.byNoIn {
		rows, err := db.plansAmong(ctx, qConsolePlanAmongOlder, f, []int64{s.byNo}, 1)
		if err != nil {
			return c, err
		}
		c.N += len(rows)
	}
	return c, nil
}
