package core

import (
	"context"
	"slices"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// Certificate is the progress of one registration that reached evaluation
// (证书进度查询): results, the stage timeline, the certificate number and, from
// 已上报全国联网 on, how to check it in the national query.
type Certificate struct {
	RegistrationID int64           `json:"registration_id"`
	Plan           PlanView        `json:"plan"`
	Results        []SubjectResult `json:"results"`
	Stages         []StageView     `json:"stages"`
	Stage          string          `json:"stage"`      // the latest stage reached; "" before the first
	StageName      string          `json:"stage_name"` // its Chinese name
	CertNo         string          `json:"cert_no"`
	// NationalQueryHint tells, in Chinese, where and with which fields the
	// certificate can be checked; "" before it is reported nationally.
	NationalQueryHint string         `json:"national_query_hint"`
	NationalQuery     *NationalQuery `json:"national_query"`
}

// SubjectResult is one subject's result.
type SubjectResult struct {
	Subject     string   `json:"subject"`
	SubjectName string   `json:"subject_name"`
	Result      string   `json:"result"` // pass | fail
	ResultName  string   `json:"result_name"`
	Score       *float64 `json:"score"`
}

// StageView is one stage of certificate progress: when it was first reached, or
// null while pending. Reached is also true for a stage passed over on the way to
// a later one (an institution may record only the later stage).
type StageView struct {
	Code      string     `json:"code"`
	Name      string     `json:"name"`
	ReachedAt *time.Time `json:"reached_at"`
	Reached   bool       `json:"reached"`
}

// NationalQuery is where the national skill certificate query is and the fields
// it takes, filled with the candidate's own values (the ID number masked).
type NationalQuery struct {
	Name   string       `json:"name"`
	URL    string       `json:"url"`
	Fields []QueryField `json:"fields"`
}

// QueryField is one field of the national query.
type QueryField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// The national query of skill certificates (技能人才评价证书全国联网查询).
const (
	nationalQueryName = "技能人才评价证书全国联网查询"
	nationalQueryURL  = "http://zscx.osta.org.cn/"
)

var errCertNotFound = domain.NotFound("certificate_not_found", "没有找到该报名的证书进度")

// ListCertificates returns the progress of each of the candidate's registrations that
// reached evaluation, latest evaluation first.
func (c *Core) ListCertificates(ctx context.Context, candidateID int64) ([]Certificate, error) {
	regs, err := c.db.CertRegistrations(ctx, candidateID, domain.TodayBeijing(c.now()))
	if err != nil {
		return nil, domain.Internal(err)
	}
	return c.certificates(ctx, candidateID, regs)
}

// GetCertificate returns the progress of one of the candidate's registrations; not
// found when it is someone else's or has not reached evaluation.
func (c *Core) GetCertificate(ctx context.Context, candidateID, registrationID int64) (Certificate, error) {
	regs, err := c.db.CertRegistrations(ctx, candidateID, domain.TodayBeijing(c.now()))
	if err != nil {
		return Certificate{}, domain.Internal(err)
	}
	regs = slices.DeleteFunc(regs, func(r repo.CertRegistration) bool { return r.ID != registrationID })
	if len(regs) == 0 {
		return Certificate{}, errCertNotFound
	}
	out, err := c.certificates(ctx, candidateID, regs)
	if err != nil {
		return Certificate{}, err
	}
	return out[0], nil
}

func (c *Core) certificates(ctx context.Context, candidateID int64, regs []repo.CertRegistration) ([]Certificate, error) {
	out := make([]Certificate, 0, len(regs))
	if len(regs) == 0 {
		return out, nil
	}
	ids := make([]int64, len(regs))
	for i, r := range regs {
		ids[i] = r.ID
	}
	results, err := c.db.ExamResults(ctx, ids)
	if err != nil {
		return nil, domain.Internal(err)
	}
	stages, err := c.db.StagesReached(ctx, ids)
	if err != nil {
		return nil, domain.Internal(err)
	}
	var holder *repo.CertHolder
	for _, r := range regs {
		p, err := c.db.Read().GetPlan(ctx, r.PlanID)
		if err != nil {
			return nil, domain.Internal(err)
		}
		cert := Certificate{RegistrationID: r.ID, Plan: ViewPlan(&p, p.SeatsTaken, c.now()), CertNo: r.CertNo,
			Results: resultsOf(r.ID, results)}
		cert.Stages, cert.Stage = timeline(r, stages)
		cert.StageName = domain.CertStage(cert.Stage).Name()
		if domain.CertStage(cert.Stage).Position() >= domain.StageReportedNational.Position() {
			if holder == nil {
				h, err := c.db.GetCertHolder(ctx, candidateID)
				if err != nil {
					return nil, domain.Internal(err)
				}
				holder = &h
			}
			cert.NationalQuery = c.nationalQuery(holder, r.CertNo)
			cert.NationalQueryHint = nationalHint(r.CertNo != "")
		}
		out = append(out, cert)
	}
	return out, nil
}

func resultsOf(regID int64, all []repo.ExamResult) []SubjectResult {
	out := []SubjectResult{}
	for _, x := range all {
		if x.RegistrationID != regID {
			continue
		}
		r := SubjectResult{Subject: x.Subject, SubjectName: domain.Subject(x.Subject).Name(), Result: x.Result,
			ResultName: domain.Result(x.Result).Name()}
		if x.Score.Valid {
			v := x.Score.Float64
			r.Score = &v
		}
		out = append(out, r)
	}
	return out
}

// timeline lists every stage in order with the time it was first reached, and
// returns the latest stage reached (by position; the registration's own
// cert_stage when no event records a later one).
func timeline(r repo.CertRegistration, all []repo.StageReached) ([]StageView, string) {
	at := map[domain.CertStage]time.Time{}
	for _, s := range all {
		if _, seen := at[domain.CertStage(s.Stage)]; s.RegistrationID == r.ID && !seen {
			at[domain.CertStage(s.Stage)] = s.ReachedAt // the first time: events come oldest first
		}
	}
	current := domain.CertStage(r.CertStage)
	if !current.Valid() {
		current = ""
	}
	for st, t := range at {
		cur, curAt := current.Position(), at[current]
		if st.Position() > cur || (st.Position() == cur && t.After(curAt)) {
			current = st
		}
	}
	out := make([]StageView, 0, len(domain.CertStages()))
	for _, st := range domain.CertStages() {
		v := StageView{Code: string(st), Name: st.Name()}
		if t, ok := at[st]; ok {
			t := t.UTC()
			v.ReachedAt = &t
		}
		v.Reached = v.ReachedAt != nil || (current != "" && st.Position() < current.Position()) || st == current
		out = append(out, v)
	}
	return out, string(current)
}

func (c *Core) nationalQuery(h *repo.CertHolder, certNo string) *NationalQuery {
	masked := ""
	if h.IDNumberEnc.Valid && c.pii != nil {
		if plain, err := c.pii.Open(h.IDNumberEnc.String); err == nil {
			masked = domain.MaskIDNumber(plain)
		}
	}
	return &NationalQuery{Name: nationalQueryName, URL: nationalQueryURL, Fields: []QueryField{
		{Name: "姓名", Value: h.Name}, {Name: "证件号码", Value: masked}, {Name: "证书编号", Value: certNo},
	}}
}

func nationalHint(haveNo bool) string {
	if haveNo {
		return "证书已上报全国联网，可在“" + nationalQueryName + "”（zscx.osta.org.cn）输入姓名和证件号码，或姓名和证书编号查询。"
	}
	return "证书已上报全国联网，可在“" + nationalQueryName + "”（zscx.osta.org.cn）输入姓名和证件号码查询。"
}
