package planindex

import (
	"strings"
	"sync/atomic"

	"skillcert/domain"
	"skillcert/repo"
)

// The plan fields kept as symbols: they repeat across plans (a few hundred
// distinct values among 100,000 plans), so each plan holds a 4-byte id.
const (
	symOccupation = iota
	symWorkType
	symCity
	symDistrict
	symInstitution
	symContactName
	symRegion
	symRegStart
	symRegDeadline
	symEvalStart
	symEvalEnd
	symState
	numSyms
)

// symbols interns the repeated strings of plans. Only refreshes add to it
// (refreshMu held); a snapshot keeps the names as they were when it was built,
// which covers every id its plans use, and later appends never change them.
// It only grows: by the distinct values ever seen, which stay few.
type symbols struct {
	ids   map[string]uint32
	names []string
	plain []bool // the name needs no escaping in JSON
}

func (t *symbols) id(s string) uint32 {
	if id, ok := t.ids[s]; ok {
		return id
	}
	s = strings.Clone(s) // not the database driver's buffer
	id := uint32(len(t.names))
	t.ids[s] = id
	t.names = append(t.names, s)
	t.plain = append(t.plain, jsonPlain(s))
	return id
}

// planBase is one visible plan as loaded, compact: 128 bytes, plus one string
// holding the fields that are the plan's own (its number, name, address and
// contact phone). It is replaced (not changed) when the plan changes, except
// for its live seat counter and version.
type planBase struct {
	id, instID int64
	created    int64        // UnixNano
	published  int64        // UnixNano, when pubValid
	ver        atomic.Int64 // updated_at of the row last applied (µs), for reconciliation
	own        string       // plan_no, plan_name, address and contact_phone end to end
	cut        [3]uint32    // where plan_name, address and contact_phone start in own
	sym        [numSyms]uint32
	seatsTotal int32
	seats      atomic.Int32 // seats taken, live
	level      int8
	pubValid   bool
	plain      bool // no string of the plan needs escaping in JSON
}

// newBase makes the compact form of a plan row, interning its repeated
// strings in t (refreshMu held).
func newBase(r *repo.Plan, t *symbols) *planBase {
	b := &planBase{id: r.ID, instID: r.InstitutionID, created: r.CreatedAt.UnixNano(),
		seatsTotal: int32(r.SeatsTotal), level: int8(r.Level), pubValid: r.PublishedAt.Valid}
	if b.pubValid {
		b.published = r.PublishedAt.Time.UnixNano()
	}
	b.own = r.PlanNo + r.PlanName + r.Address + r.ContactPhone
	b.cut = [3]uint32{uint32(len(r.PlanNo))}
	b.cut[1] = b.cut[0] + uint32(len(r.PlanName))
	b.cut[2] = b.cut[1] + uint32(len(r.Address))
	for k, s := range [numSyms]string{
		symOccupation: r.OccupationName, symWorkType: r.WorkType, symCity: r.City, symDistrict: r.District,
		symInstitution: r.InstitutionName, symContactName: r.ContactName, symRegion: r.SupervisionRegion,
		symRegStart: r.RegStart, symRegDeadline: r.RegDeadline, symEvalStart: r.EvalStart, symEvalEnd: r.EvalEnd,
		symState: r.State,
	} {
		b.sym[k] = t.id(s)
	}
	b.plain = jsonPlain(b.own)
	for _, id := range b.sym {
		b.plain = b.plain && t.plain[id]
	}
	b.seats.Store(int32(r.SeatsTaken))
	b.ver.Store(r.UpdatedAt.UnixMicro())
	return b
}

// sameButSeats tells whether two versions of a plan differ only in seats taken
// (and the time of the change), which needs no rebuild.
func (a *planBase) sameButSeats(b *planBase) bool {
	return a.id == b.id && a.instID == b.instID && a.created == b.created && a.pubValid == b.pubValid &&
		a.published == b.published && a.own == b.own && a.cut == b.cut && a.sym == b.sym &&
		a.seatsTotal == b.seatsTotal && a.level == b.level
}

func (b *planBase) planNo() string       { return b.own[:b.cut[0]] }
func (b *planBase) planName() string     { return b.own[b.cut[0]:b.cut[1]] }
func (b *planBase) address() string      { return b.own[b.cut[1]:b.cut[2]] }
func (b *planBase) contactPhone() string { return b.own[b.cut[2]:] }

// publishedMicros is the plan's time of publication (of creation when it has
// none), for the newest sort.
func (b *planBase) publishedMicros() int64 {
	if b.pubValid {
		return b.published / 1e3
	}
	return b.created / 1e3
}

// view renders the plan for candidates, with its status st; names are a
// snapshot's symbol names.
func (b *planBase) view(names []string, seatsTaken int, st string) PlanView {
	return PlanView{
		ID: b.id, PlanNo: b.planNo(), PlanName: b.planName(), OccupationName: names[b.sym[symOccupation]],
		WorkType: names[b.sym[symWorkType]], Level: int(b.level), LevelName: domain.Level(b.level).Name(),
		Location: Location{City: names[b.sym[symCity]], District: names[b.sym[symDistrict]], Address: b.address()},
		RegStart: names[b.sym[symRegStart]], RegDeadline: names[b.sym[symRegDeadline]], EvalStart: names[b.sym[symEvalStart]], EvalEnd: names[b.sym[symEvalEnd]],
		InstitutionID: b.instID, InstitutionName: names[b.sym[symInstitution]],
		ContactName: names[b.sym[symContactName]], ContactPhone: b.contactPhone(), SupervisionRegion: names[b.sym[symRegion]],
		SeatsTotal: int(b.seatsTotal), SeatsLeft: max(0, int(b.seatsTotal)-seatsTaken),
		Status: st, StatusName: StatusNames[st], plain: b.plain,
	}
}
