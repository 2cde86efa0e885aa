package web

import (
	"errors"
	"html/template"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// pathID reads a positive id from the path; not found otherwise.
func pathID(c echo.Context, name string) (int64, error) {
	n, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, domain.NotFound("not_found", "页面不存在")
	}
	return n, nil
}

// ---- home ----

// openItem is something on the home page the candidate should act on.
type openItem struct {
	Text, Link, Kind string
}

type homeData struct {
	Items []openItem
}

// Home is GET /web/: the services and the candidate's open items (a draft to
// finish, a returned registration, a deadline soon).
func (h *Handlers) Home(c echo.Context) error {
	var d homeData
	if id := candidateOf(c); id != 0 {
		page, err := h.core.ListRegistrations(c.Request().Context(), id, core.ListQuery{PageSize: 100})
		if err != nil {
			return err
		}
		today := h.core.Now().In(beijing).Format("2006-01-02")
		soon := h.core.Now().In(beijing).AddDate(0, 0, 3).Format("2006-01-02")
		for _, r := range page.Items {
			link := "/web/registrations/" + strconv.FormatInt(r.ID, 10)
			switch domain.Status(r.Status) {
			case domain.StatusReturned:
				d.Items = append(d.Items, openItem{Text: "“" + r.Plan.PlanName + "”的报名被退回修改，请按审核意见修改后重新提交", Link: link, Kind: "warn"})
			case domain.StatusDraft:
				text := "“" + r.Plan.PlanName + "”的报名尚未提交，请完成填写"
				kind := ""
				if r.Plan.RegDeadline >= today && r.Plan.RegDeadline <= soon {
					text += "（报名截止日期：" + r.Plan.RegDeadline + "）"
					kind = "warn"
				}
				d.Items = append(d.Items, openItem{Text: text, Link: link + "/form", Kind: kind})
			}
		}
	}
	return h.render(c, http.StatusOK, "home", view{Title: "职业技能等级认定", Nav: "home", D: d})
}

var beijing = time.FixedZone("CST", 8*3600)

// ---- 评价计划查询 ----

type plansData struct {
	Q        core.PlanQuery
	Page     core.Page[core.PlanView]
	Meta     core.PlanMeta
	Pages    int
	PrevURL  string
	NextURL  string
	LevelURL map[int]string

	// Pre-rendered parts (plancards.go): the busiest page's hot loops.
	Cards       template.HTML
	LevelTabs   template.HTML
	CityOptions template.HTML
	SortOptions template.HTML
	OccList     template.HTML
}

// Plans is GET /web/plans: 评价计划查询 on the same read model as the API.
func (h *Handlers) Plans(c echo.Context) error {
	q := core.PlanQuery{
		Occupation: strings.TrimSpace(c.QueryParam("occupation")),
		City:       c.QueryParam("city"),
		Sort:       c.QueryParam("sort"),
		PageSize:   10,
	}
	q.Level, _ = strconv.Atoi(c.QueryParam("level"))
	q.Page, _ = strconv.Atoi(c.QueryParam("page"))
	if q.Page < 1 {
		q.Page = 1
	}
	if q.Level < 0 || q.Level > 5 {
		q.Level = 0
	}
	page, err := h.core.SearchPlans(c.Request().Context(), q)
	var errs map[string]string
	if fe, ok := fieldErrors(err); ok {
		errs = fe
		err = nil
	}
	if err != nil {
		return err
	}
	d := plansData{Q: q, Page: page, Meta: h.core.PlanMeta(), LevelURL: map[int]string{}}
	d.Cards = planCardsHTML(page.Items)
	d.CityOptions = cityOptionsHTML(d.Meta.Cities, q.City)
	d.SortOptions = sortOptionsHTML(d.Meta.Sorts, q.Sort)
	d.OccList = occupationListHTML(d.Meta.Occupations)
	if page.PageSize > 0 {
		d.Pages = (page.Total + page.PageSize - 1) / page.PageSize
	}
	link := func(level, pg int) string {
		v := url.Values{}
		if level > 0 {
			v.Set("level", strconv.Itoa(level))
		}
		if q.Occupation != "" {
			v.Set("occupation", q.Occupation)
		}
		if q.City != "" {
			v.Set("city", q.City)
		}
		if q.Sort != "" {
			v.Set("sort", q.Sort)
		}
		if pg > 1 {
			v.Set("page", strconv.Itoa(pg))
		}
		if len(v) == 0 {
			return "/web/plans"
		}
		return "/web/plans?" + v.Encode()
	}
	for l := 0; l <= 5; l++ {
		d.LevelURL[l] = link(l, 1)
	}
	d.LevelTabs = levelTabsHTML(q.Level, d.LevelURL)
	if q.Page > 1 {
		d.PrevURL = link(q.Level, q.Page-1)
	}
	if q.Page < d.Pages {
		d.NextURL = link(q.Level, q.Page+1)
	}
	return h.render(c, http.StatusOK, "plans", view{Title: "评价计划查询", Nav: "home", Back: "/web/", Errs: errs, D: d})
}

// ---- 报名码报名: step 1 (code) and step 2 (评价计划确认) ----

type codeData struct {
	Code   string
	Lookup *core.CodeLookup
}

// RegisterPage is GET /web/register: step 1, the registration code.
func (h *Handlers) RegisterPage(c echo.Context) error {
	return h.render(c, http.StatusOK, "register", view{Title: "报名码报名", Back: "/web/", D: codeData{Code: c.QueryParam("code")}})
}

// normalizeCode keeps what a person typed for the form (upper-cased, trimmed);
// core does the real check.
func normalizeCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// ConfirmPlan is POST /web/register/confirm: step 2, the plan of the code with
// every field (评价计划确认). A bad code stays in the box with the reason.
func (h *Handlers) ConfirmPlan(c echo.Context) error {
	code := normalizeCode(c.FormValue("code"))
	out, err := h.core.LookupCode(c.Request().Context(), core.CodeRequest{CandidateID: candidateOf(c), Code: code, IP: c.RealIP()})
	if err != nil {
		de, ok := domain.AsError(err)
		if !ok || de.Kind == domain.KindInternal {
			return err
		}
		return h.render(c, handlersStatusOf(de), "register", view{Title: "报名码报名", Back: "/web/",
			Errs: map[string]string{"code": de.Message}, D: codeData{Code: code}})
	}
	return h.render(c, http.StatusOK, "confirm", view{Title: "评价计划确认", Back: "/web/register", D: codeData{Code: code, Lookup: out}})
}

// StartRegistration is POST /web/register/start: the draft of the code's plan
// (or the candidate's registration on it), then step 3, the form.
func (h *Handlers) StartRegistration(c echo.Context) error {
	code := normalizeCode(c.FormValue("code"))
	v, _, err := h.core.CreateDraft(c.Request().Context(), core.CodeRequest{CandidateID: candidateOf(c), Code: code, IP: c.RealIP()})
	if err != nil {
		if de, ok := domain.AsError(err); ok && de.Code == "identity_required" {
			return c.Redirect(http.StatusSeeOther, "/web/me?ok=need_id&next="+url.QueryEscape("/web/register?code="+code))
		}
		de, ok := domain.AsError(err)
		if !ok || de.Kind == domain.KindInternal {
			return err
		}
		return h.render(c, handlersStatusOf(de), "register", view{Title: "报名码报名", Back: "/web/",
			Errs: map[string]string{"code": de.Message}, D: codeData{Code: code}})
	}
	to := "/web/registrations/" + strconv.FormatInt(v.ID, 10)
	if v.Editable {
		to += "/form"
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// ---- step 3: 考生报名 ----

// formValues is the form as shown: option codes and text, as stored or as
// typed (a refused form shows what was typed).
type formValues map[string]string

type formData struct {
	R          *core.RegistrationView
	V          formValues
	Locked     map[string]bool
	Checklist  []core.ChecklistEntry
	Files      []core.AttachmentView
	Options    domain.Options
	Bases      []basisChoice
	MaxUpload  int64
	Mismatch   string // the employer warning, when the check found one
	Commitment string
}

// basisChoice is one 报考依据 with what it fills and locks, for the script.
type basisChoice struct {
	domain.Option
	Allowed bool
	Fixed   map[string]string
}

func valuesOf(r *core.RegistrationView) formValues {
	v := formValues{
		domain.FieldBasis: r.Basis, domain.FieldEducation: r.Education, domain.FieldCandidateSource: r.CandidateSource,
		domain.FieldLaborRelation: r.LaborRelation, domain.FieldPhone: r.Phone, domain.FieldEmployer: r.Employer,
	}
	if r.YearsInOccupation != nil {
		v[domain.FieldYearsInOccupation] = strconv.Itoa(*r.YearsInOccupation)
	}
	if r.CommitmentAccepted {
		v[domain.FieldCommitmentAccepted] = "1"
	}
	return v
}

// commitmentText is the 本人承诺 the candidate accepts.
const commitmentText = "本人承诺：所填报的个人信息及上传的证明材料真实、准确、有效，符合所报职业（工种）等级的申报条件。如有虚假，本人愿承担由此产生的一切后果，并接受取消评价资格、已获证书作废等处理。"

func (h *Handlers) formData(c echo.Context, r *core.RegistrationView, v formValues) (*formData, error) {
	ctx := c.Request().Context()
	cand := candidateOf(c)
	cl, err := h.core.GetChecklist(ctx, cand, r.ID)
	if err != nil {
		return nil, err
	}
	files, err := h.core.ListAttachments(ctx, cand, r.ID)
	if err != nil {
		return nil, err
	}
	d := &formData{R: r, V: v, Locked: map[string]bool{}, Checklist: cl.Items, Files: files, Options: h.core.Options(),
		MaxUpload: h.core.RegistrationSettings().MaxUploadBytes >> 20, Commitment: commitmentText}
	for _, f := range r.LockedFields {
		d.Locked[f] = true
	}
	for _, o := range d.Options.Bases {
		b := basisChoice{Option: o, Fixed: map[string]string{}}
		if rule, ok := domain.LookupBasis(o.Code); ok {
			b.Allowed = rule.AllowsLevel(domain.Level(r.Plan.Level))
			for k, val := range rule.Fixed {
				b.Fixed[k] = toText(val)
			}
		}
		d.Bases = append(d.Bases, b)
	}
	for _, w := range r.Warnings {
		if w.Code == core.WarningEmployerMismatch {
			d.Mismatch = w.Message
		}
	}
	return d, nil
}

func toText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	}
	return ""
}

// FormPage is GET /web/registrations/:id/form.
func (h *Handlers) FormPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := h.core.GetRegistration(c.Request().Context(), candidateOf(c), id)
	if err != nil {
		return err
	}
	if !r.Editable {
		return c.Redirect(http.StatusSeeOther, "/web/registrations/"+strconv.FormatInt(id, 10))
	}
	d, err := h.formData(c, r, valuesOf(r))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "form", view{Title: "考生报名", Back: "/web/registrations/" + strconv.FormatInt(id, 10), D: d})
}

// patchOf reads the posted form: a field that is not in the form (locked
// fields are disabled, so not posted) is left as it is.
func patchOf(c echo.Context) (core.FormPatch, formValues) {
	form, _ := c.FormParams()
	v := formValues{}
	text := func(field string) *string {
		vals, ok := form[field]
		if !ok {
			return nil
		}
		s := ""
		if len(vals) > 0 {
			s = vals[0]
		}
		v[field] = s
		return &s
	}
	var p core.FormPatch
	p.Basis = text(domain.FieldBasis)
	p.Education = text(domain.FieldEducation)
	p.YearsInOccupation = text(domain.FieldYearsInOccupation)
	p.CandidateSource = text(domain.FieldCandidateSource)
	p.LaborRelation = text(domain.FieldLaborRelation)
	p.Phone = text(domain.FieldPhone)
	p.Employer = text(domain.FieldEmployer)
	accepted := form.Get(domain.FieldCommitmentAccepted) != ""
	p.CommitmentAccepted = &accepted
	if accepted {
		v[domain.FieldCommitmentAccepted] = "1"
	}
	return p, v
}

// SaveForm is POST /web/registrations/:id/form: 保存 (action=save) or 提交
// (action=submit) through core's SaveForm and Submit. Refused fields are shown
// with their messages and everything typed is kept in the form.
func (h *Handlers) SaveForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cand := candidateOf(c)
	patch, typed := patchOf(c)
	r, err := h.core.SaveForm(ctx, core.SaveFormRequest{CandidateID: cand, RegistrationID: id, Patch: patch})
	if r == nil {
		return err
	}
	if errs, ok := fieldErrors(err); ok {
		return h.refusedForm(c, r, typed, errs, http.StatusBadRequest, nil)
	} else if err != nil {
		return err
	}
	if c.FormValue("action") != "submit" {
		return c.Redirect(http.StatusSeeOther, "/web/registrations/"+strconv.FormatInt(id, 10)+"/form?ok=saved")
	}
	if _, err := h.core.SubmitRegistration(ctx, core.SubmitRequest{CandidateID: cand, RegistrationID: id}); err != nil {
		de, ok := domain.AsError(err)
		if !ok || de.Kind == domain.KindInternal {
			return err
		}
		if de.Code == "busy" {
			return h.busyForm(c, r, typed, de)
		}
		errs, _ := fieldErrors(err)
		if errs == nil {
			errs = map[string]string{"": de.Message}
		}
		return h.refusedForm(c, r, typed, errs, handlersStatusOf(de), nil)
	}
	return c.Redirect(http.StatusSeeOther, "/web/registrations/"+strconv.FormatInt(id, 10)+"?ok=submitted")
}

// maxBusyRetries is how many times the form page submits again by itself after
// a busy answer (web.js, with backoff and jitter) before it leaves the next try
// to the candidate.
const maxBusyRetries = 4

// busyRetry tells the form page to submit again after a busy answer.
type busyRetry struct {
	After   int // seconds, the answer's Retry-After
	Attempt int // automatic retries made so far, this answer included
	Max     int
}

// busyForm answers a submit the gate found no slot for: 503 with Retry-After
// and the form as typed (the draft was saved), which submits itself again
// after a backoff until maxBusyRetries.
func (h *Handlers) busyForm(c echo.Context, r *core.RegistrationView, typed formValues, de *domain.Error) error {
	after := max(int(de.RetryAfter.Round(time.Second)/time.Second), 1)
	c.Response().Header().Set("Retry-After", strconv.Itoa(after))
	attempt, _ := strconv.Atoi(c.FormValue("busy_attempt"))
	attempt = min(max(attempt, 0), maxBusyRetries) + 1
	msg := de.Message + "，页面将自动重新提交"
	if attempt > maxBusyRetries {
		msg = de.Message + "，已自动重试多次，请稍后再点击“提交”"
	}
	return h.refusedForm(c, r, typed, map[string]string{"": msg}, http.StatusServiceUnavailable,
		&busyRetry{After: after, Attempt: attempt, Max: maxBusyRetries})
}

// refusedForm shows the form again with what was typed and the field errors;
// retry, after a busy submit, makes the page submit itself again.
func (h *Handlers) refusedForm(c echo.Context, r *core.RegistrationView, typed formValues, errs map[string]string, status int, retry *busyRetry) error {
	v := valuesOf(r)
	for k, val := range typed {
		if _, bad := errs[k]; bad || !contains(r.LockedFields, k) {
			v[k] = val
		}
	}
	if typed[domain.FieldCommitmentAccepted] == "" {
		delete(v, domain.FieldCommitmentAccepted)
	}
	d, err := h.formData(c, r, v)
	if err != nil {
		return err
	}
	msg := "请按提示修改后再提交"
	if m, ok := errs[""]; ok {
		msg = m
	}
	return h.render(c, status, "form", view{Title: "考生报名", Back: "/web/registrations/" + strconv.FormatInt(r.ID, 10),
		Errs: errs, Flash: msg, FlashKind: "warn", Retry: retry, D: d})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ---- attachments ----

// multipartOverhead is what a multipart body may carry beyond its files.
const multipartOverhead = 64 << 10

// parseUpload reads a multipart body of at most limit bytes of files.
func parseUpload(c echo.Context, limit int64, tooLarge error) error {
	req := c.Request()
	if req.MultipartForm != nil {
		return nil
	}
	if req.ContentLength > limit+multipartOverhead {
		return tooLarge
	}
	req.Body = http.MaxBytesReader(c.Response(), req.Body, limit+multipartOverhead)
	if err := req.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge
		}
		return domain.Invalid("file", "not_multipart", "请选择要上传的文件")
	}
	return nil
}

// Upload is POST /web/registrations/:id/attachments (multipart "file" and
// "item"). The script posts it with progress and asks for JSON (Accept); a
// plain form gets the form page again.
func (h *Handlers) Upload(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	back := "/web/registrations/" + strconv.FormatInt(id, 10) + "/form"
	wantsJSON := strings.Contains(c.Request().Header.Get("Accept"), "application/json")
	fail := func(err error) error {
		de, ok := domain.AsError(err)
		if !ok || de.Kind == domain.KindInternal {
			return err
		}
		if wantsJSON {
			return c.JSON(handlersStatusOf(de), map[string]any{"error": map[string]string{"code": de.Code, "message": de.Message, "field": de.Field}})
		}
		r, gerr := h.core.GetRegistration(c.Request().Context(), candidateOf(c), id)
		if gerr != nil {
			return gerr
		}
		d, derr := h.formData(c, r, valuesOf(r))
		if derr != nil {
			return derr
		}
		return h.render(c, handlersStatusOf(de), "form", view{Title: "考生报名", Back: "/web/registrations/" + strconv.FormatInt(id, 10),
			Errs: map[string]string{"file": de.Message}, Flash: de.Message, FlashKind: "warn", D: d})
	}
	limit := h.core.RegistrationSettings().MaxUploadBytes
	if err := parseUpload(c, limit, core.FileTooLarge(limit)); err != nil {
		return fail(err)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return fail(domain.Invalid("file", "file_required", "请选择要上传的文件"))
	}
	if fh.Size > limit {
		return fail(core.FileTooLarge(limit))
	}
	f, err := fh.Open()
	if err != nil {
		return domain.Internal(err)
	}
	defer f.Close()
	v, err := h.core.AddAttachment(c.Request().Context(), core.UploadRequest{CandidateID: candidateOf(c), RegistrationID: id,
		Item: c.FormValue("item"), FileName: fh.Filename, Body: f})
	if err != nil {
		return fail(err)
	}
	if wantsJSON {
		return c.JSON(http.StatusCreated, v)
	}
	return c.Redirect(http.StatusSeeOther, back+"?ok=uploaded#attachments")
}

// ViewAttachment is GET /web/registrations/:id/attachments/:aid: 查看 — images
// and PDFs open in the browser (sandboxed), other files download.
func (h *Handlers) ViewAttachment(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	aid, err := pathID(c, "aid")
	if err != nil {
		return err
	}
	file, err := h.core.OpenAttachment(c.Request().Context(), core.Reader{CandidateID: candidateOf(c)},
		core.AttachmentRef{RegistrationID: id, AttachmentID: aid})
	if err != nil {
		return err
	}
	defer file.Body.Close()
	disp := "attachment"
	switch file.ContentType {
	case "application/pdf", "image/jpeg", "image/png":
		disp = "inline"
	}
	hd := c.Response().Header()
	hd.Set("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": file.FileName}))
	hd.Set("Content-Length", strconv.FormatInt(file.Size, 10))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox")
	hd.Set("Cache-Control", "private, no-store")
	hd.Set(echo.HeaderContentType, file.ContentType)
	c.Response().WriteHeader(http.StatusOK)
	_, err = io.Copy(c.Response(), file.Body)
	return err
}

// DeleteAttachment is POST /web/registrations/:id/attachments/:aid/delete.
func (h *Handlers) DeleteAttachment(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	aid, err := pathID(c, "aid")
	if err != nil {
		return err
	}
	if err := h.core.DeleteAttachment(c.Request().Context(), candidateOf(c), core.AttachmentRef{RegistrationID: id, AttachmentID: aid}); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/web/registrations/"+strconv.FormatInt(id, 10)+"/form?ok=deleted#attachments")
}

// ---- 报名记录 ----

// Records is GET /web/registrations: 报名记录, newest first.
func (h *Handlers) Records(c echo.Context) error {
	pg, _ := strconv.Atoi(c.QueryParam("page"))
	page, err := h.core.ListRegistrations(c.Request().Context(), candidateOf(c), core.ListQuery{Page: max(pg, 1), PageSize: 20})
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "records", view{Title: "报名记录", Nav: "records", D: page})
}

type recordData struct {
	R         *core.RegistrationView
	Files     []core.AttachmentView
	Fix       []string // labels of the fields the reviewer asked to change
	CanCancel bool
}

// Record is GET /web/registrations/:id: status, the reviewer's note and the
// fields to fix, 撤销报名, and the way back to the form after 退回修改.
func (h *Handlers) Record(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := h.core.GetRegistration(ctx, candidateOf(c), id)
	if err != nil {
		return err
	}
	files, err := h.core.ListAttachments(ctx, candidateOf(c), id)
	if err != nil {
		return err
	}
	d := recordData{R: r, Files: files}
	for _, f := range r.ReturnFields {
		d.Fix = append(d.Fix, fieldLabel(f))
	}
	_, cerr := domain.Transition(domain.Status(r.Status), domain.ActionCancel)
	d.CanCancel = cerr == nil
	return h.render(c, http.StatusOK, "record", view{Title: "报名详情", Nav: "records", Back: "/web/registrations", D: d})
}

// fieldLabel names a form field or a checklist item the reviewer returned.
func fieldLabel(f string) string {
	if l := domain.FormFieldLabel(f); l != f {
		return l
	}
	if n := domain.ChecklistItemName(f); n != "" {
		return n
	}
	return f
}

// Cancel is POST /web/registrations/:id/cancel: 撤销报名.
func (h *Handlers) Cancel(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.core.CancelRegistration(c.Request().Context(), core.CancelRequest{CandidateID: candidateOf(c), RegistrationID: id}); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/web/registrations/"+strconv.FormatInt(id, 10)+"?ok=cancelled")
}

// ---- 证书进度查询 ----

// Certificates is GET /web/certificates: each registration's stages as a timeline.
func (h *Handlers) Certificates(c echo.Context) error {
	list, err := h.core.ListCertificates(c.Request().Context(), candidateOf(c))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "certificates", view{Title: "证书进度查询", Back: "/web/", D: list})
}

// ---- 外部督导情况反馈 ----

type feedbackData struct {
	V       map[string]string
	Regs    []core.RegistrationView
	List    []core.FeedbackView
	Options domain.Options
	Prefs   []domain.Option
	MaxMB   int64
}

func (h *Handlers) feedbackPage(c echo.Context, status int, v map[string]string, errs map[string]string, flash string) error {
	ctx := c.Request().Context()
	regs, err := h.core.ListRegistrations(ctx, candidateOf(c), core.ListQuery{PageSize: 100})
	if err != nil {
		return err
	}
	list, err := h.core.ListFeedback(ctx, candidateOf(c), core.ListQuery{PageSize: 20})
	if err != nil {
		return err
	}
	d := feedbackData{V: v, List: list.Items, Options: h.core.Options(), Prefs: domain.ContactPrefOptions(), MaxMB: h.core.FeedbackImageBytes() >> 20}
	for _, r := range regs.Items {
		if r.Status != string(domain.StatusDraft) && r.Status != string(domain.StatusCancelled) {
			d.Regs = append(d.Regs, r)
		}
	}
	kind := ""
	if flash != "" {
		kind = "warn"
	}
	return h.render(c, status, "feedback", view{Title: "外部督导情况反馈", Back: "/web/", Errs: errs, Flash: flash, FlashKind: kind, D: d})
}

// FeedbackPage is GET /web/feedback: the form and the candidate's feedback.
func (h *Handlers) FeedbackPage(c echo.Context) error {
	return h.feedbackPage(c, http.StatusOK, map[string]string{"contact_pref": "in_app"}, nil, "")
}

// SendFeedback is POST /web/feedback (multipart, with up to three photos).
func (h *Handlers) SendFeedback(c echo.Context) error {
	limit := h.core.FeedbackImageBytes() * domain.MaxFeedbackImages
	if err := parseUpload(c, limit, h.core.ImageTooLarge()); err != nil {
		return h.feedbackPage(c, http.StatusRequestEntityTooLarge, map[string]string{}, map[string]string{"images": errMessage(err)}, errMessage(err))
	}
	v := map[string]string{}
	for _, k := range []string{"registration_id", "plan_no", "category", "content", "contact_pref", "contact_phone", "anonymous"} {
		v[k] = c.FormValue(k)
	}
	in := core.FeedbackInput{CandidateID: candidateOf(c), PlanNo: v["plan_no"], Category: v["category"], Content: v["content"],
		ContactPref: v["contact_pref"], ContactPhone: v["contact_phone"], Anonymous: v["anonymous"] != ""}
	if s := strings.TrimSpace(v["registration_id"]); s != "" {
		in.RegistrationID, _ = strconv.ParseInt(s, 10, 64)
	}
	var files []*multipart.FileHeader
	if form := c.Request().MultipartForm; form != nil {
		files = form.File["images"]
	}
	if len(files) > domain.MaxFeedbackImages {
		return h.feedbackPage(c, http.StatusBadRequest, v, map[string]string{"images": errMessage(core.TooManyImages())}, errMessage(core.TooManyImages()))
	}
	for _, fh := range files {
		if fh.Size == 0 && fh.Filename == "" {
			continue
		}
		if fh.Size > h.core.FeedbackImageBytes() {
			return h.feedbackPage(c, http.StatusRequestEntityTooLarge, v, map[string]string{"images": errMessage(h.core.ImageTooLarge())}, errMessage(h.core.ImageTooLarge()))
		}
		f, err := fh.Open()
		if err != nil {
			return domain.Internal(err)
		}
		defer f.Close()
		in.Images = append(in.Images, core.ImageUpload{FileName: fh.Filename, Body: f})
	}
	if _, err := h.core.SubmitFeedback(c.Request().Context(), in); err != nil {
		de, ok := domain.AsError(err)
		if !ok || de.Kind == domain.KindInternal {
			return err
		}
		errs, _ := fieldErrors(err)
		return h.feedbackPage(c, handlersStatusOf(de), v, errs, de.Message)
	}
	return c.Redirect(http.StatusSeeOther, "/web/feedback?ok=feedback")
}

func errMessage(err error) string {
	if de, ok := domain.AsError(err); ok {
		return de.Message
	}
	return "提交失败，请稍后再试"
}

// ---- 培训意向登记 ----

type trainingData struct {
	V       map[string]string
	List    []core.IntentionView
	Options domain.Options
	Levels  []domain.Option
}

func (h *Handlers) trainingPage(c echo.Context, status int, v, errs map[string]string, flash string) error {
	list, err := h.core.ListIntentions(c.Request().Context(), candidateOf(c))
	if err != nil {
		return err
	}
	kind := ""
	if flash != "" {
		kind = "warn"
	}
	return h.render(c, status, "training", view{Title: "培训意向登记", Back: "/web/", Errs: errs, Flash: flash, FlashKind: kind,
		D: trainingData{V: v, List: list, Options: h.core.Options(), Levels: domain.LevelOptions()}})
}

// TrainingPage is GET /web/training.
func (h *Handlers) TrainingPage(c echo.Context) error {
	return h.trainingPage(c, http.StatusOK, map[string]string{}, nil, "")
}

// SendIntention is POST /web/training.
func (h *Handlers) SendIntention(c echo.Context) error {
	v := map[string]string{}
	for _, k := range []string{"occupation", "level", "city", "preferred_time", "phone", "note", "contact_consent"} {
		v[k] = c.FormValue(k)
	}
	level, _ := strconv.Atoi(v["level"])
	_, err := h.core.SubmitIntention(c.Request().Context(), core.IntentionInput{CandidateID: candidateOf(c),
		Occupation: v["occupation"], Level: level, City: v["city"], PreferredTime: v["preferred_time"],
		Phone: v["phone"], Note: v["note"], ContactConsent: v["contact_consent"] != ""})
	if err != nil {
		de, ok := domain.AsError(err)
		if !ok || de.Kind == domain.KindInternal {
			return err
		}
		errs, _ := fieldErrors(err)
		return h.trainingPage(c, handlersStatusOf(de), v, errs, de.Message)
	}
	return c.Redirect(http.StatusSeeOther, "/web/training?ok=intention")
}

// WithdrawIntention is POST /web/training/:id/delete.
func (h *Handlers) WithdrawIntention(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.core.WithdrawIntention(c.Request().Context(), candidateOf(c), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/web/training?ok=withdrawn")
}

// ---- 我的 ----

// ConsentVersion is the version of the privacy notice the identity form shows
// (the same notice as the mini-program's).
const ConsentVersion = "2026-01"

type meData struct {
	Me      *core.Me
	V       map[string]string
	IDTypes []domain.Option
	Next    string
}

func (h *Handlers) mePage(c echo.Context, status int, v, errs map[string]string, flash string) error {
	me, err := h.core.GetMe(c.Request().Context(), candidateOf(c))
	if err != nil {
		return err
	}
	me.IDNumber = "" // the page shows the masked number only
	kind := ""
	if flash != "" {
		kind = "warn"
	}
	next := c.QueryParam("next")
	if next == "" {
		next = c.FormValue("next")
	}
	return h.render(c, status, "me", view{Title: "我的", Nav: "me", Errs: errs, Flash: flash, FlashKind: kind,
		D: meData{Me: me, V: v, IDTypes: domain.IDTypes(), Next: safeNextOrEmpty(next)}})
}

func safeNextOrEmpty(s string) string {
	if s == "" {
		return ""
	}
	return safeNext(s)
}

// MePage is GET /web/me.
func (h *Handlers) MePage(c echo.Context) error {
	return h.mePage(c, http.StatusOK, map[string]string{"id_type": "01"}, nil, "")
}

// BindIdentity is POST /web/me/identity: name and ID document, with the
// privacy consent.
func (h *Handlers) BindIdentity(c echo.Context) error {
	v := map[string]string{"name": c.FormValue("name"), "id_type": c.FormValue("id_type"), "id_number": c.FormValue("id_number"),
		"privacy_consent": c.FormValue("privacy_consent")}
	_, err := h.core.BindIdentity(c.Request().Context(), candidateOf(c), core.IdentityInput{Name: v["name"], IDType: v["id_type"],
		IDNumber: v["id_number"], PrivacyConsent: v["privacy_consent"] != "", ConsentVersion: ConsentVersion})
	if err != nil {
		de, ok := domain.AsError(err)
		if !ok || de.Kind == domain.KindInternal {
			return err
		}
		errs, _ := fieldErrors(err)
		return h.mePage(c, handlersStatusOf(de), v, errs, de.Message)
	}
	if next := safeNextOrEmpty(c.FormValue("next")); next != "" {
		return c.Redirect(http.StatusSeeOther, withFlash(next, "identity"))
	}
	return c.Redirect(http.StatusSeeOther, "/web/me?ok=identity")
}

func handlersStatusOf(de *domain.Error) int {
	switch de.Kind {
	case domain.KindInvalid:
		return http.StatusBadRequest
	case domain.KindNotFound:
		return http.StatusNotFound
	case domain.KindConflict:
		return http.StatusConflict
	case domain.KindRateLimited:
		return http.StatusTooManyRequests
	case domain.KindUnavailable:
		return http.StatusServiceUnavailable
	case domain.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case domain.KindForbidden:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}
