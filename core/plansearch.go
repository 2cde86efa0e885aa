package core

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// PlanQuery is a plan search as the 评价计划查询 page asks it.
type PlanQuery struct {
	Level      int    // 0 = 全部
	Occupation string // substring of 职业名称 or 工种名称
	City       string // 考试地点
	Status     string // "", open, upcoming, closed, full
	Sort       string // deadline (default), eval_start, newest
	Page       int    // from 1
	PageSize   int    // 1..100
}

// Plan statuses as candidates see them.
const (
	PlanStatusUpcoming = "upcoming"
	PlanStatusOpen     = "open"
	PlanStatusClosed   = "closed"
	PlanStatusFull     = "full"
)

var planStatusNames = map[string]string{
	PlanStatusUpcoming: "未开始", PlanStatusOpen: "报名中", PlanStatusClosed: "已截止", PlanStatusFull: "已满",
}

// PlanSorts lists the sort options with their names, in the order pickers show them.
var PlanSorts = []domain.Option{
	{Code: "deadline", Name: "报名截止日期（由近到远）"},
	{Code: "eval_start", Name: "评价开始日期（由近到远）"},
	{Code: "newest", Name: "最新发布"},
}

// PlanStatuses lists the status filter options.
var PlanStatuses = []domain.Option{
	{Code: PlanStatusOpen, Name: "报名中"}, {Code: PlanStatusUpcoming, Name: "未开始"},
	{Code: PlanStatusClosed, Name: "已截止"}, {Code: PlanStatusFull, Name: "已满"},
}

// Location is where an evaluation takes place.
type Location struct {
	City     string `json:"city"`
	District string `json:"district"`
	Address  string `json:"address"`
}

// PlanView is a plan as candidates see it.
type PlanView struct {
	ID                int64    `json:"id"`
	PlanNo            string   `json:"plan_no"`
	PlanName          string   `json:"plan_name"`
	OccupationName    string   `json:"occupation_name"`
	WorkType          string   `json:"work_type"`
	Level             int      `json:"level"`
	LevelName         string   `json:"level_name"`
	Location          Location `json:"location"`
	RegStart          string   `json:"reg_start"`
	RegDeadline       string   `json:"reg_deadline"`
	EvalStart         string   `json:"eval_start"`
	EvalEnd           string   `json:"eval_end"`
	InstitutionID     int64    `json:"institution_id"`
	InstitutionName   string   `json:"institution_name"`
	ContactName       string   `json:"contact_name"`
	ContactPhone      string   `json:"contact_phone"`
	SupervisionRegion string   `json:"supervision_region"`
	SeatsTotal        int      `json:"seats_total"`
	SeatsLeft         int      `json:"seats_left"`
	Status            string   `json:"status"`
	StatusName        string   `json:"status_name"`
}

// Page is the one shape of every list.
type Page[T any] struct {
	Items    []T `json:"items"`
	Total    int `json:"total"`
	Page     int `json:"page"`
	PageSize int `json:"page_size"`
}

// PlanStatusAt is the status of a plan for candidates at an instant: by its
// registration window (Beijing dates, the deadline day included) and its seats.
func PlanStatusAt(p *repo.Plan, seatsTaken int, now time.Time) string {
	return entryStatus(dayNumber(p.RegStart), dayNumber(p.RegDeadline), p.State == repo.PlanClosed,
		p.SeatsTotal-seatsTaken, todayNumber(now))
}

func entryStatus(regStart, deadline int32, closed bool, left int, today int32) string {
	switch {
	case closed || today > deadline:
		return PlanStatusClosed
	case today < regStart:
		return PlanStatusUpcoming
	case left <= 0:
		return PlanStatusFull
	}
	return PlanStatusOpen
}

// ViewPlan renders a plan row for candidates.
func ViewPlan(p *repo.Plan, seatsTaken int, now time.Time) PlanView {
	st := PlanStatusAt(p, seatsTaken, now)
	return PlanView{
		ID: p.ID, PlanNo: p.PlanNo, PlanName: p.PlanName, OccupationName: p.OccupationName,
		WorkType: p.WorkType, Level: p.Level, LevelName: domain.Level(p.Level).Name(),
		Location: Location{City: p.City, District: p.District, Address: p.Address},
		RegStart: p.RegStart, RegDeadline: p.RegDeadline, EvalStart: p.EvalStart, EvalEnd: p.EvalEnd,
		InstitutionID: p.InstitutionID, InstitutionName: p.InstitutionName,
		ContactName: p.ContactName, ContactPhone: p.ContactPhone, SupervisionRegion: p.SupervisionRegion,
		SeatsTotal: p.SeatsTotal, SeatsLeft: max(0, p.SeatsTotal-seatsTaken),
		Status: st, StatusName: planStatusNames[st],
	}
}

// ValidatePlanQuery checks a query from the outside and fills the defaults.
func ValidatePlanQuery(q *PlanQuery) *domain.Error {
	var fe []domain.FieldError
	if q.Level != 0 && !domain.Level(q.Level).Valid() {
		fe = append(fe, domain.FieldError{Field: "level", Code: "invalid_level", Message: "级别须为 1 至 5（一级至五级），不填表示全部"})
	}
	q.Occupation = strings.TrimSpace(q.Occupation)
	if len([]rune(q.Occupation)) > 50 {
		fe = append(fe, domain.FieldError{Field: "occupation", Code: "too_long", Message: "职业名称最多 50 个字"})
	}
	q.City = strings.TrimSpace(q.City)
	if len([]rune(q.City)) > 50 {
		fe = append(fe, domain.FieldError{Field: "city", Code: "too_long", Message: "考试地点最多 50 个字"})
	}
	switch q.Status {
	case "", PlanStatusOpen, PlanStatusUpcoming, PlanStatusClosed, PlanStatusFull:
	default:
		fe = append(fe, domain.FieldError{Field: "status", Code: "invalid_status", Message: "状态须为 open（报名中）、upcoming（未开始）、closed（已截止）或 full（已满）"})
	}
	switch q.Sort {
	case "":
		q.Sort = "deadline"
	case "deadline", "eval_start", "newest":
	default:
		fe = append(fe, domain.FieldError{Field: "sort", Code: "invalid_sort", Message: "排序方式须为 deadline（报名截止日期）、eval_start（评价开始日期）或 newest（最新发布）"})
	}
	if q.Page == 0 {
		q.Page = 1
	} else if q.Page < 1 || q.Page > 100000 {
		fe = append(fe, domain.FieldError{Field: "page", Code: "invalid_page", Message: "页码须为从 1 开始的整数"})
	}
	if q.PageSize == 0 {
		q.PageSize = 20
	} else if q.PageSize < 1 || q.PageSize > 100 {
		fe = append(fe, domain.FieldError{Field: "page_size", Code: "invalid_page_size", Message: "每页条数须在 1 到 100 之间"})
	}
	if err := domain.InvalidFields(fe); err != nil {
		return err
	}
	return nil
}

// SearchPlans answers a plan search from the read model, with an exact total.
// Deadline and evaluation sorts list the plans whose date is today or later first,
// soonest first, then the past ones, most recent first.
func (c *Core) SearchPlans(ctx context.Context, q PlanQuery) (Page[PlanView], error) {
	if err := ValidatePlanQuery(&q); err != nil {
		return Page[PlanView]{}, err
	}
	now := c.now()
	today := todayNumber(now)
	s := c.Plans.snap.Load()
	sk := map[string]int{"deadline": sortDeadline, "eval_start": sortEvalStart, "newest": sortNewest}[q.Sort]

	// The split: in date sorts, where today begins in the global order.
	split := int32(0)
	if sk != sortNewest {
		split = int32(searchSplit(s.all[sk], sk, today))
	}

	match := func(e *planEntry) bool {
		if q.Level != 0 && e.p.Level != q.Level {
			return false
		}
		if q.City != "" && e.p.City != q.City {
			return false
		}
		if q.Status != "" && entryStatus(e.regStart, e.deadline, e.closedEarl, e.p.SeatsTotal-int(e.seats.Load()), today) != q.Status {
			return false
		}
		return true
	}

	offset := (q.Page - 1) * q.PageSize
	out := Page[PlanView]{Items: []PlanView{}, Page: q.Page, PageSize: q.PageSize}
	var picked []*planEntry

	base := s.bucket(sk, q.Level, q.City)
	if q.Occupation != "" {
		terms := s.matchTerms(q.Occupation)
		listed := 0
		for _, t := range terms {
			listed += len(s.term[sk][t])
		}
		switch {
		case len(terms) == 1:
			picked, out.Total = scanOrdered(s.term[sk][terms[0]], sk, split, match, offset, q.PageSize)
		case listed*4 < len(base):
			// A few names match: gather their plans, de-duplicate (a plan may match by
			// both its occupation and its work type) and order by shown position.
			picked, out.Total = gatherTerms(s, sk, split, terms, match, offset, q.PageSize)
		default:
			// Many names match: walking the level/city bucket with a set of term ids
			// is cheaper than gathering and sorting.
			set := make([]bool, len(s.terms))
			for _, t := range terms {
				set[t] = true
			}
			inTerms := func(e *planEntry) bool {
				return (set[e.occ] || (e.wt >= 0 && set[e.wt])) && match(e)
			}
			picked, out.Total = scanOrdered(base, sk, split, inTerms, offset, q.PageSize)
		}
	} else {
		picked, out.Total = scanOrdered(base, sk, split, match, offset, q.PageSize)
	}
	for _, e := range picked {
		out.Items = append(out.Items, ViewPlan(&e.p, int(e.seats.Load()), now))
	}
	return out, nil
}

// bucket is the smallest prebuilt list that holds every plan of a level and city
// (either may be absent).
func (s *planSnapshot) bucket(sk, level int, city string) []*planEntry {
	switch {
	case level != 0 && city != "":
		if cid, ok := s.cityIDs[city]; ok {
			return s.lvCity[sk][int32(level)<<16|cid]
		}
		return nil
	case level != 0:
		return s.level[sk][level]
	case city != "":
		return s.city[sk][city]
	}
	return s.all[sk]
}

// gatherTerms collects the matching plans of several term lists in shown order.
func gatherTerms(s *planSnapshot, sk int, split int32, terms []int32, match func(*planEntry) bool, offset, size int) ([]*planEntry, int) {
	var all []*planEntry
	for _, t := range terms {
		for _, e := range s.term[sk][t] {
			if match(e) {
				all = append(all, e)
			}
		}
	}
	n := int32(len(s.all[sk]))
	slices.SortFunc(all, func(a, b *planEntry) int {
		return int(effPos(a.rank[sk], split, n) - effPos(b.rank[sk], split, n))
	})
	all = slices.CompactFunc(all, func(a, b *planEntry) bool { return a == b })
	if offset >= len(all) {
		return nil, len(all)
	}
	return all[offset:min(len(all), offset+size)], len(all)
}

func sortDate(e *planEntry, sk int) int32 {
	if sk == sortEvalStart {
		return e.evalStart
	}
	return e.deadline
}

// searchSplit finds the first position in a date-sorted list whose date is today
// or later.
func searchSplit(list []*planEntry, sk int, today int32) int {
	lo, hi := 0, len(list)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if sortDate(list[m], sk) < today {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// effPos maps a global rank to the position shown: ranks from split on come first
// in order, then the ranks before split in reverse.
func effPos(rank, split, n int32) int32 {
	if rank >= split {
		return rank - split
	}
	return (n - split) + (split - 1 - rank)
}

// scanOrdered walks a bucket (ordered by global rank) in shown order, counting
// every match and keeping the page window.
func scanOrdered(list []*planEntry, sk int, split int32, match func(*planEntry) bool, offset, size int) ([]*planEntry, int) {
	// Inside the bucket, the split is the first entry whose global rank ≥ split.
	b := 0
	if sk != sortNewest {
		lo, hi := 0, len(list)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if list[m].rank[sk] < split {
				lo = m + 1
			} else {
				hi = m
			}
		}
		b = lo
	}
	var page []*planEntry
	total := 0
	visit := func(e *planEntry) {
		if !match(e) {
			return
		}
		if total >= offset && total < offset+size {
			page = append(page, e)
		}
		total++
	}
	for i := b; i < len(list); i++ {
		visit(list[i])
	}
	for i := b - 1; i >= 0; i-- {
		visit(list[i])
	}
	return page, total
}

// GetPlan returns one visible plan for candidates; not found when unknown or
// unpublished.
func (c *Core) GetPlan(ctx context.Context, id int64) (PlanView, error) {
	e := c.Plans.snap.Load().byID[id]
	if e == nil {
		return PlanView{}, domain.NotFound("plan_not_found", "评价计划不存在或未发布")
	}
	return ViewPlan(&e.p, int(e.seats.Load()), c.now()), nil
}

// PlanMeta is the option lists of the plan search pickers.
type PlanMeta struct {
	Levels      []domain.Option `json:"levels"`
	Cities      []domain.Option `json:"cities"`
	Occupations []domain.Option `json:"occupations"`
	Sorts       []domain.Option `json:"sorts"`
	Statuses    []domain.Option `json:"statuses"`
}

// PlanMeta lists the levels, and the cities and occupations that have visible plans.
func (c *Core) PlanMeta() PlanMeta {
	s := c.Plans.snap.Load()
	m := PlanMeta{Sorts: PlanSorts, Statuses: PlanStatuses}
	for _, l := range domain.Levels() {
		m.Levels = append(m.Levels, domain.Option{Code: strconv.Itoa(int(l)), Name: l.Name()})
	}
	for _, c := range s.cities {
		m.Cities = append(m.Cities, domain.Option{Code: c, Name: c})
	}
	for _, o := range s.occs {
		m.Occupations = append(m.Occupations, domain.Option{Code: o, Name: o})
	}
	if m.Cities == nil {
		m.Cities = []domain.Option{}
	}
	if m.Occupations == nil {
		m.Occupations = []domain.Option{}
	}
	return m
}
