package planindex

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"skillcert/domain"
	"skillcert/repo"
)

// Query is a plan search as the 评价计划查询 page asks it.
type Query struct {
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
	StatusUpcoming = "upcoming"
	StatusOpen     = "open"
	StatusClosed   = "closed"
	StatusFull     = "full"
)

// StatusNames are the statuses' names as candidates read them.
var StatusNames = map[string]string{
	StatusUpcoming: "未开始", StatusOpen: "报名中", StatusClosed: "已截止", StatusFull: "已满",
}

// Sorts lists the sort options with their names, in the order pickers show them.
var Sorts = []domain.Option{
	{Code: "deadline", Name: "报名截止日期（由近到远）"},
	{Code: "eval_start", Name: "评价开始日期（由近到远）"},
	{Code: "newest", Name: "最新发布"},
}

// Statuses lists the status filter options.
var Statuses = []domain.Option{
	{Code: StatusOpen, Name: "报名中"}, {Code: StatusUpcoming, Name: "未开始"},
	{Code: StatusClosed, Name: "已截止"}, {Code: StatusFull, Name: "已满"},
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

	plain bool // no string needs escaping in JSON (known by the read model)
}

// planViewPlain is PlanView without its MarshalJSON.
type planViewPlain PlanView

// MarshalJSON writes a plan as encoding/json writes planViewPlain (the same
// bytes, TestPlanViewJSON), without reflection: a page of search results is
// mostly this. Strings the read model knows to be plain are copied as they are.
func (v PlanView) MarshalJSON() ([]byte, error) {
	// Keys, punctuation and short numbers take about 400 bytes: one allocation
	// unless a string needs escaping or the numbers are long.
	n := 400 + len(v.PlanNo) + len(v.PlanName) + len(v.OccupationName) + len(v.WorkType) + len(v.LevelName) +
		len(v.Location.City) + len(v.Location.District) + len(v.Location.Address) + len(v.RegStart) +
		len(v.RegDeadline) + len(v.EvalStart) + len(v.EvalEnd) + len(v.InstitutionName) + len(v.ContactName) +
		len(v.ContactPhone) + len(v.SupervisionRegion) + len(v.Status) + len(v.StatusName)
	b := make([]byte, 0, n)
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, v.ID, 10)
	b = v.appendString(append(b, `,"plan_no":`...), v.PlanNo)
	b = v.appendString(append(b, `,"plan_name":`...), v.PlanName)
	b = v.appendString(append(b, `,"occupation_name":`...), v.OccupationName)
	b = v.appendString(append(b, `,"work_type":`...), v.WorkType)
	b = strconv.AppendInt(append(b, `,"level":`...), int64(v.Level), 10)
	b = appendJSONString(append(b, `,"level_name":`...), v.LevelName, false)
	b = v.appendString(append(b, `,"location":{"city":`...), v.Location.City)
	b = v.appendString(append(b, `,"district":`...), v.Location.District)
	b = v.appendString(append(b, `,"address":`...), v.Location.Address)
	b = v.appendString(append(b, `},"reg_start":`...), v.RegStart)
	b = v.appendString(append(b, `,"reg_deadline":`...), v.RegDeadline)
	b = v.appendString(append(b, `,"eval_start":`...), v.EvalStart)
	b = v.appendString(append(b, `,"eval_end":`...), v.EvalEnd)
	b = strconv.AppendInt(append(b, `,"institution_id":`...), v.InstitutionID, 10)
	b = v.appendString(append(b, `,"institution_name":`...), v.InstitutionName)
	b = v.appendString(append(b, `,"contact_name":`...), v.ContactName)
	b = v.appendString(append(b, `,"contact_phone":`...), v.ContactPhone)
	b = v.appendString(append(b, `,"supervision_region":`...), v.SupervisionRegion)
	b = strconv.AppendInt(append(b, `,"seats_total":`...), int64(v.SeatsTotal), 10)
	b = strconv.AppendInt(append(b, `,"seats_left":`...), int64(v.SeatsLeft), 10)
	b = appendJSONString(append(b, `,"status":`...), v.Status, false)
	b = appendJSONString(append(b, `,"status_name":`...), v.StatusName, false)
	return append(b, '}'), nil
}

func (v *PlanView) appendString(b []byte, s string) []byte { return appendJSONString(b, s, v.plain) }

// appendJSONString appends s as a JSON string, as encoding/json writes it
// (with <, >, & and U+2028/U+2029 escaped, invalid UTF-8 replaced); plain says
// s is known to need no escaping.
func appendJSONString(b []byte, s string, plain bool) []byte {
	if plain || jsonPlain(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	j, err := json.Marshal(s)
	if err != nil { // cannot happen for a string
		return append(b, `""`...)
	}
	return append(b, j...)
}

// jsonPlain tells whether encoding/json writes s as it is, between quotes.
func jsonPlain(s string) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			ascii = false
			// U+2028 and U+2029 (E2 80 A8/A9) are escaped.
			if c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9) {
				return false
			}
		case c < 0x20, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return ascii || utf8.ValidString(s)
}

// Result is one page of a search with the exact total of matching plans.
type Result struct {
	Items []PlanView
	Total int
}

// StatusAt is the status of a plan for candidates at an instant: by its
// registration window (Beijing dates, the deadline day included) and its seats.
func StatusAt(p *repo.Plan, seatsTaken int, now time.Time) string {
	st := windowStatus(dayNumber(p.RegStart), dayNumber(p.RegDeadline), p.State == repo.PlanClosed, todayNumber(now))
	if st == StatusOpen && p.SeatsTotal-seatsTaken <= 0 {
		return StatusFull
	}
	return st
}

// windowStatus is a plan's status by its registration window alone: closed,
// upcoming, or open (which is full when no seat is left).
func windowStatus(regStart, deadline int32, closed bool, today int32) string {
	switch {
	case closed || today > deadline:
		return StatusClosed
	case today < regStart:
		return StatusUpcoming
	}
	return StatusOpen
}

// View renders a plan row for candidates.
func View(p *repo.Plan, seatsTaken int, now time.Time) PlanView {
	st := StatusAt(p, seatsTaken, now)
	return PlanView{
		ID: p.ID, PlanNo: p.PlanNo, PlanName: p.PlanName, OccupationName: p.OccupationName,
		WorkType: p.WorkType, Level: p.Level, LevelName: domain.Level(p.Level).Name(),
		Location: Location{City: p.City, District: p.District, Address: p.Address},
		RegStart: p.RegStart, RegDeadline: p.RegDeadline, EvalStart: p.EvalStart, EvalEnd: p.EvalEnd,
		InstitutionID: p.InstitutionID, InstitutionName: p.InstitutionName,
		ContactName: p.ContactName, ContactPhone: p.ContactPhone, SupervisionRegion: p.SupervisionRegion,
		SeatsTotal: p.SeatsTotal, SeatsLeft: max(0, p.SeatsTotal-seatsTaken),
		Status: st, StatusName: StatusNames[st],
	}
}

// ValidateQuery checks a query from the outside and fills the defaults.
func ValidateQuery(q *Query) error {
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
	case "", StatusOpen, StatusUpcoming, StatusClosed, StatusFull:
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
	return domain.InvalidFields(fe)
}

// status is a plan's status for candidates on a day.
func (s *planSnapshot) status(e int32, today int32) string {
	h := &s.hot[e]
	st := windowStatus(h.regStart, h.deadline, h.closed, today)
	if st == StatusOpen && h.seatsTotal-s.seatsTaken(e) <= 0 {
		return StatusFull
	}
	return st
}

var bitsetPool sync.Pool

func scratch(n int) bitset {
	words := (n + 63) / 64
	if v, ok := bitsetPool.Get().(*bitset); ok && cap(*v) >= words {
		return (*v)[:words]
	}
	return make(bitset, words)
}

func release(b bitset) { bitsetPool.Put(&b) }

// Search answers a plan search from the read model, with an exact total:
// each filter is a set of positions in the sort's order, the answer is their
// intersection. Deadline and evaluation sorts list the plans whose date is today
// or later first, soonest first, then the past ones, most recent first.
// The query must have passed ValidateQuery.
func (ix *Index) Search(q Query, now time.Time) Result {
	today := todayNumber(now)
	s := ix.snap.Load()
	out := Result{Items: []PlanView{}}
	sk := map[string]int{"deadline": sortDeadline, "eval_start": sortEvalStart, "newest": sortNewest}[q.Sort]
	sp := s.space[sk]
	n := len(sp.order)

	r := scratch(n)
	defer release(r)
	if q.Level != 0 {
		copy(r, sp.level[q.Level])
	} else {
		r.fill(n)
	}
	if q.City != "" {
		cid, ok := s.cityID[q.City]
		if !ok {
			return out
		}
		r.and(sp.city[cid])
	}
	if q.Occupation != "" {
		u := scratch(n)
		defer release(u)
		clear(u)
		for _, t := range s.matchTerms(q.Occupation) {
			u.or(sp.term[t])
		}
		r.and(u)
	}
	if q.Status != "" {
		d := sp.days(s, today)
		switch q.Status {
		case StatusClosed:
			r.and(d.closed)
		case StatusUpcoming:
			r.and(d.upcoming)
		case StatusOpen, StatusFull:
			r.and(d.window)
			for i := range r {
				full := atomic.LoadUint64(&sp.full[i])
				if q.Status == StatusOpen {
					r[i] &^= full
				} else {
					r[i] &= full
				}
			}
		}
	}
	out.Total = r.count()

	// The page in shown order: from the split on, then before it in reverse.
	split := int32(0)
	if sk != sortNewest {
		split = s.split(sp, sk, today)
	}
	skip := (q.Page - 1) * q.PageSize
	pos := r.ascending(split, &skip, make([]int32, 0, q.PageSize), q.PageSize)
	pos = r.descending(split-1, &skip, pos, q.PageSize)
	for _, p := range pos {
		out.Items = append(out.Items, s.view(sp.order[p], today))
	}
	return out
}

// view renders entry e for candidates.
func (s *planSnapshot) view(e int32, today int32) PlanView {
	st := s.status(e, today)
	return s.bases[e].view(s.names, int(s.seatsTaken(e)), st)
}

// split is the first position of a date sort whose date is today or later.
func (s *planSnapshot) split(sp *sortSpace, sk int, today int32) int32 {
	date := func(e int32) int32 {
		if sk == sortEvalStart {
			return s.hot[e].evalStart
		}
		return s.hot[e].deadline
	}
	lo, hi := 0, len(sp.order)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if date(sp.order[m]) < today {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return int32(lo)
}

// Get returns one visible plan for candidates; false when unknown or
// unpublished.
func (ix *Index) Get(id int64, now time.Time) (PlanView, bool) {
	s := ix.snap.Load()
	e, ok := s.entry(id)
	if !ok {
		return PlanView{}, false
	}
	return s.view(e, todayNumber(now)), true
}

// Seats returns a visible plan's seats taken (live) and total; false when the
// plan is unknown or unpublished.
func (ix *Index) Seats(id int64) (taken, total int, ok bool) {
	s := ix.snap.Load()
	e, ok := s.entry(id)
	if !ok {
		return 0, 0, false
	}
	return int(s.seatsTaken(e)), int(s.hot[e].seatsTotal), true
}

// Meta is the option lists of the plan search pickers.
type Meta struct {
	Levels      []domain.Option `json:"levels"`
	Cities      []domain.Option `json:"cities"`
	Occupations []domain.Option `json:"occupations"`
	Sorts       []domain.Option `json:"sorts"`
	Statuses    []domain.Option `json:"statuses"`
}

// Meta lists the levels, and the cities and occupations that have visible
// plans; cities in the order of regions (see SortCities).
func (ix *Index) Meta(regions []domain.Option) Meta {
	s := ix.snap.Load()
	m := Meta{Sorts: Sorts, Statuses: Statuses}
	for _, l := range domain.Levels() {
		m.Levels = append(m.Levels, domain.Option{Code: strconv.Itoa(int(l)), Name: l.Name()})
	}
	for _, c := range SortCities(s.cities, regions) {
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

// SortCities puts cities in the usual order of the option lists (province
// level first, then Guangdong's 21 cities); any other city follows, in its
// given order.
func SortCities(cities []string, order []domain.Option) []string {
	rank := make(map[string]int, len(order))
	for i, o := range order {
		rank[o.Code] = i
	}
	out := append([]string(nil), cities...)
	sort.SliceStable(out, func(i, j int) bool {
		ri, iok := rank[out[i]]
		rj, jok := rank[out[j]]
		switch {
		case iok && jok:
			return ri < rj
		case iok != jok:
			return iok
		}
		return false
	})
	return out
}
