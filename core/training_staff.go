package core

import (
	"context"
	"fmt"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// TrainingOverview is the console's anonymised view of training intentions:
// counts by city, occupation and level, and how many agreed to be contacted.
// An institution sees its own city only; an admin any city (or all).
type TrainingOverview struct {
	City      string // the city shown; "" for every city (admins)
	NoCity    bool   // the institution's city is not set yet
	Counts    []TrainingCountView
	Total     string // counts of 1 to 4 are shown as "<5" (domain.StatCount)
	Consented string
}

// TrainingCountView is one line of the statistics: a city, occupation and level,
// with its counts written as domain.StatCount writes them.
type TrainingCountView struct {
	City       string
	Occupation string
	Level      int
	Total      string
	Consented  string
}

// institutionCity returns the city whose intentions an institution's staff see.
func (c *Core) institutionCity(ctx context.Context, st *Staff) (string, error) {
	if !st.Is(domain.RoleInstitution) || st.InstitutionID == 0 {
		return "", errStaffForbidden
	}
	city, err := c.db.InstitutionCity(ctx, st.InstitutionID)
	if err != nil {
		return "", domain.Internal(err)
	}
	return city, nil
}

// GetTrainingOverview returns the counts for an institution's own city, or for an
// admin the city asked for ("" for every city). Supervisors have no view.
func (c *Core) GetTrainingOverview(ctx context.Context, st *Staff, city string) (*TrainingOverview, error) {
	out := &TrainingOverview{Counts: []TrainingCountView{}}
	switch {
	case st.Is(domain.RoleAdmin):
		if city = strings.TrimSpace(city); !c.opts.HasCity(city) {
			city = ""
		}
	default:
		own, err := c.institutionCity(ctx, st)
		if err != nil {
			return nil, err
		}
		if own == "" {
			out.NoCity = true
			return out, nil
		}
		city = own
	}
	rows, err := c.db.TrainingCounts(ctx, city)
	if err != nil {
		return nil, domain.Internal(err)
	}
	out.City = city
	total, consented := 0, 0
	for _, r := range rows {
		out.Counts = append(out.Counts, TrainingCountView{City: r.City, Occupation: r.Occupation, Level: r.Level,
			Total: domain.StatCount(r.Total), Consented: domain.StatCount(r.Consented)})
		total += r.Total
		consented += r.Consented
	}
	out.Total, out.Consented = domain.StatCount(total), domain.StatCount(consented)
	return out, nil
}

// ContactQuery narrows an institution's contact list.
type ContactQuery struct {
	Occupation string
	Level      int
	Page       int
	PageSize   int
}

// TrainingContactView is a candidate who agreed to be contacted about training.
type TrainingContactView struct {
	ID            int64
	Name          string // from the bound identity; "" when none
	Occupation    string
	Level         int
	LevelName     string
	City          string
	PreferredTime string
	Phone         string // masked on the page, in full in the export
	Note          string
	NoteCheck     string // domain.ContentCheck of the note; "unchecked" and "review" are marked on the page
	ConsentAt     time.Time
	CreatedAt     time.Time
}

// contactFilter scopes a contact list to the institution's city; ok is false
// when its city is not set (an empty list).
func (c *Core) contactFilter(ctx context.Context, st *Staff, q ContactQuery) (repo.ContactFilter, bool, error) {
	city, err := c.institutionCity(ctx, st)
	if err != nil || city == "" {
		return repo.ContactFilter{}, false, err
	}
	f := repo.ContactFilter{City: city, Occupation: strings.TrimSpace(q.Occupation)}
	if domain.Level(q.Level).Valid() {
		f.Level = q.Level
	}
	return f, true, nil
}

// ListTrainingContacts returns a page of the intentions in the institution's city
// whose candidates agreed to be contacted, phones masked. Institutions only.
func (c *Core) ListTrainingContacts(ctx context.Context, st *Staff, q ContactQuery) (Page[TrainingContactView], error) {
	page, size := consolePage(q.Page, q.PageSize)
	out := Page[TrainingContactView]{Items: []TrainingContactView{}, Page: page, PageSize: size}
	f, ok, err := c.contactFilter(ctx, st, q)
	if err != nil || !ok {
		return out, err
	}
	rows, total, err := c.db.TrainingContacts(ctx, f, size, (page-1)*size)
	if err != nil {
		return out, domain.Internal(err)
	}
	out.Total = total
	for _, r := range rows {
		v, err := c.contactView(r, false)
		if err != nil {
			return out, err
		}
		out.Items = append(out.Items, v)
	}
	return out, nil
}

func (c *Core) contactView(r repo.TrainingContact, full bool) (TrainingContactView, error) {
	phone, err := c.openPhone(r.PhoneEnc, full)
	if err != nil {
		return TrainingContactView{}, err
	}
	return TrainingContactView{ID: r.ID, Name: r.Name, Occupation: r.Occupation, Level: r.Level,
		LevelName: domain.Level(r.Level).Name(), City: r.City, PreferredTime: r.PreferredTime, Phone: phone,
		Note: r.Note, NoteCheck: r.NoteCheck, ConsentAt: r.ConsentAt.Time, CreatedAt: r.CreatedAt}, nil
}

var contactColumns = []column{{"序号", 6}, {"姓名", 10}, {"职业", 20}, {"意向等级", 14}, {"培训城市", 10},
	{"期望培训时间", 16}, {"联系电话", 14}, {"备注", 36}, {"同意联系时间", 17}, {"登记时间", 17}}

// ExportTrainingContacts returns the institution's contact list (full phones)
// as .xlsx, every matching intention streamed row by row when written: only
// candidates who agreed to be contacted by institutions of that city. Every
// export is audited with the number of rows that went out.
func (c *Core) ExportTrainingContacts(ctx context.Context, st *Staff, q ContactQuery) (*SheetStream, error) {
	f, ok, err := c.contactFilter(ctx, st, q)
	if err != nil {
		return nil, err
	}
	fill := func(ctx context.Context, put func([]any) error) (int, error) {
		if !ok {
			return 0, nil
		}
		n := 0
		err := c.db.EachTrainingContact(ctx, f, func(r repo.TrainingContact) error {
			v, err := c.contactView(r, true)
			if err != nil {
				return err
			}
			n++
			return put([]any{n, v.Name, v.Occupation, v.LevelName, v.City, v.PreferredTime, v.Phone,
				v.Note, domain.FormatCNTime(v.ConsentAt), domain.FormatCNTime(v.CreatedAt)})
		})
		return n, err
	}
	done := func(ctx context.Context, n int, err error) {
		detail := fmt.Sprintf("城市 %s，%d 人", f.City, n)
		if err != nil {
			detail += "（导出中断）"
		}
		c.auditNow(context.WithoutCancel(ctx), st, AuditTrainingExport, "institution", st.InstitutionID, detail)
	}
	return &SheetStream{FileName: "培训意向联系人_" + domain.TodayBeijing(c.now()) + ".xlsx", sheet: "培训意向联系人",
		cols: contactColumns, fill: fill, done: done}, nil
}

// ListInstitutionCities returns a page of institutions with their cities; admins only.
func (c *Core) ListInstitutionCities(ctx context.Context, st *Staff, page int) (Page[InstitutionCity], error) {
	if !st.Is(domain.RoleAdmin) {
		return Page[InstitutionCity]{}, errStaffForbidden
	}
	page, size := consolePage(page, 50)
	rows, total, err := c.db.ListInstitutionCities(ctx, size, (page-1)*size)
	if err != nil {
		return Page[InstitutionCity]{}, domain.Internal(err)
	}
	return Page[InstitutionCity]{Items: views(rows, func(r repo.InstitutionCity) InstitutionCity { return InstitutionCity(r) }), Total: total, Page: page, PageSize: size}, nil
}

// SetInstitutionCity sets the city of an institution ("" clears it), which
// decides whose training intentions its staff see; admins only, audited.
func (c *Core) SetInstitutionCity(ctx context.Context, st *Staff, institutionID int64, city string) error {
	if !st.Is(domain.RoleAdmin) {
		return errStaffForbidden
	}
	city = strings.TrimSpace(city)
	if city != "" && !c.opts.HasCity(city) {
		return domain.Invalid("city", "city_invalid", "所在城市不在可选范围内")
	}
	in, err := c.db.Read().GetInstitution(ctx, institutionID)
	if repo.IsNoRows(err) {
		return domain.NotFound("institution_not_found", "评价机构不存在")
	}
	if err != nil {
		return domain.Internal(err)
	}
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		if err := tx.SetInstitutionCity(ctx, institutionID, city, c.dbNow()); err != nil {
			return err
		}
		shown := city
		if shown == "" {
			shown = "（未设置）"
		}
		return c.audit(ctx, tx.Writer, st, AuditInstCity, "institution", institutionID, in.Name+" 所在城市："+shown)
	})
	if err != nil {
		return asDomainError(err)
	}
	return nil
}
