package core

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// IntentionInput is a training intention (培训意向登记) as a candidate registers it.
type IntentionInput struct {
	CandidateID    int64
	Occupation     string // from Options.Occupations
	Level          int    // the desired level, 1–5
	City           string // from Options.Cities
	PreferredTime  string // free text, e.g. "周末"
	Phone          string // entered, or "" for the bound phone
	Note           string
	ContactConsent bool // institutions of the city may contact the candidate
}

// IntentionView is a training intention as its candidate sees it (phone masked).
type IntentionView struct {
	ID             int64      `json:"id"`
	Occupation     string     `json:"occupation"`
	Level          int        `json:"level"`
	LevelName      string     `json:"level_name"`
	City           string     `json:"city"`
	PreferredTime  string     `json:"preferred_time"`
	PhoneMasked    string     `json:"phone_masked"`
	Note           string     `json:"note"`
	NoteCheck      string     `json:"note_check"` // WeChat's content check of the note (domain.ContentCheck)
	ContactConsent bool       `json:"contact_consent"`
	ConsentAt      *time.Time `json:"consent_at"`
	CreatedAt      time.Time  `json:"created_at"`
}

// checkIntention validates every field at once and returns the row to store.
func (c *Core) checkIntention(ctx context.Context, in IntentionInput) (*repo.TrainingIntention, error) {
	var fe []domain.FieldError
	add := func(e error) { fe = append(fe, domain.FieldErrorsOf(e)...) }
	occ := strings.TrimSpace(in.Occupation)
	switch {
	case occ == "":
		add(domain.Invalid("occupation", "occupation_required", "请选择职业（工种）"))
	case !c.opts.HasOccupation(occ):
		add(domain.Invalid("occupation", "occupation_invalid", "职业不在职业目录中，请从列表中选择"))
	}
	if !domain.Level(in.Level).Valid() {
		add(domain.Invalid("level", "level_invalid", "请选择意向等级（一级至五级）"))
	}
	city := strings.TrimSpace(in.City)
	switch {
	case city == "":
		add(domain.Invalid("city", "city_required", "请选择培训城市"))
	case !c.opts.HasCity(city):
		add(domain.Invalid("city", "city_invalid", "培训城市不在可选范围内，请从列表中选择"))
	}
	when, e := domain.CheckText(in.PreferredTime, domain.PreferredTimeMax, "preferred_time", "期望培训时间")
	add(e)
	note, e := domain.CheckText(in.Note, domain.IntentionNoteMax, "note", "备注")
	add(e)
	phone, err := c.contactPhone(ctx, in.CandidateID, in.Phone, "phone")
	if de, ok := domain.AsError(err); ok && de.Kind == domain.KindInvalid {
		add(de)
	} else if err != nil {
		return nil, err
	}
	if err := domain.FieldsError(fe); err != nil {
		return nil, err
	}
	// The note is read by institutions: WeChat's content check first (risky is
	// refused at the field; unavailable keeps it, marked unchecked).
	noteCheck, err := c.checkText(ctx, in.CandidateID, SceneProfile, note, "note")
	if err != nil {
		return nil, err
	}
	sealed, err := c.pii.Seal(phone)
	if err != nil {
		return nil, domain.Internal(err)
	}
	now := c.dbNow()
	t := &repo.TrainingIntention{CandidateID: in.CandidateID, Occupation: occ, Level: in.Level, City: city,
		PreferredTime: when, PhoneEnc: sealed, Note: note, NoteCheck: string(noteCheck), ContactConsent: in.ContactConsent,
		CreatedAt: now, UpdatedAt: now}
	if in.ContactConsent {
		t.ConsentAt = sql.NullTime{Time: now, Valid: true}
	}
	return t, nil
}

// SubmitIntention registers a training intention. The phone is stored sealed; a
// candidate has at most domain.MaxTrainingIntention intentions, one per
// occupation, level and city.
func (c *Core) SubmitIntention(ctx context.Context, in IntentionInput) (*IntentionView, error) {
	t, err := c.checkIntention(ctx, in)
	if err != nil {
		return nil, err
	}
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		n, err := tx.CountCandidateIntentions(ctx, in.CandidateID)
		if err != nil {
			return err
		}
		if n >= domain.MaxTrainingIntention {
			return domain.Conflict("too_many_intentions",
				fmt.Sprintf("最多登记%d条培训意向，请先撤回不需要的意向", domain.MaxTrainingIntention))
		}
		return tx.InsertTrainingIntention(ctx, t)
	})
	if repo.IsUniqueViolation(err) {
		return nil, domain.Conflict("intention_exists", "您已登记过相同职业、等级和城市的培训意向")
	}
	if err != nil {
		return nil, asDomainError(err)
	}
	c.log.Info("training intention registered", "intention_id", t.ID, "consent", t.ContactConsent)
	return c.intentionView(*t)
}

// ListIntentions returns the candidate's training intentions, newest first.
func (c *Core) ListIntentions(ctx context.Context, candidateID int64) ([]IntentionView, error) {
	rows, err := c.db.ListCandidateIntentions(ctx, candidateID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	out := make([]IntentionView, 0, len(rows))
	for _, t := range rows {
		v, err := c.intentionView(t)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// WithdrawIntention deletes one of the candidate's intentions (and its phone):
// it leaves the counts and every contact list at once.
func (c *Core) WithdrawIntention(ctx context.Context, candidateID, id int64) error {
	ok, err := c.db.DeleteTrainingIntention(ctx, candidateID, id)
	if err != nil {
		return domain.Internal(err)
	}
	if !ok {
		return domain.NotFound("intention_not_found", "培训意向不存在")
	}
	return nil
}

func (c *Core) intentionView(t repo.TrainingIntention) (*IntentionView, error) {
	phone, err := c.openPhone(t.PhoneEnc, false)
	if err != nil {
		return nil, err
	}
	return &IntentionView{ID: t.ID, Occupation: t.Occupation, Level: t.Level, LevelName: domain.Level(t.Level).Name(),
		City: t.City, PreferredTime: t.PreferredTime, PhoneMasked: phone, Note: t.Note, NoteCheck: t.NoteCheck,
		ContactConsent: t.ContactConsent, ConsentAt: timePtr(t.ConsentAt.Time, t.ConsentAt.Valid),
		CreatedAt: apiTime(t.CreatedAt)}, nil
}

// IntentionConsentInput changes the consent of an intention: contact_consent is
// required (true gives it, false withdraws it).
type IntentionConsentInput struct {
	ContactConsent *bool `json:"contact_consent"`
}

// SetIntentionConsent gives or withdraws the candidate's consent to be contacted
// about an intention. Withdrawn, the contact leaves every later contact list and
// export at once; the intention itself stays in the anonymised counts.
func (c *Core) SetIntentionConsent(ctx context.Context, candidateID, id int64, in IntentionConsentInput) (*IntentionView, error) {
	if in.ContactConsent == nil {
		return nil, domain.Invalid("contact_consent", "contact_consent_required", "请选择是否同意评价机构联系")
	}
	now := c.dbNow()
	at := sql.NullTime{Time: now, Valid: *in.ContactConsent}
	ok, err := c.db.SetIntentionConsent(ctx, candidateID, id, *in.ContactConsent, at, now)
	if err != nil {
		return nil, domain.Internal(fmt.Errorf("set intention consent: %w", err))
	}
	if !ok {
		return nil, domain.NotFound("intention_not_found", "培训意向不存在")
	}
	t, err := c.db.Write().GetTrainingIntention(ctx, id)
	if err != nil {
		return nil, domain.Internal(err)
	}
	c.log.Info("training intention consent changed", "intention_id", id, "consent", *in.ContactConsent)
	return c.intentionView(t)
}
