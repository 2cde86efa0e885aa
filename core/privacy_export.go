package core

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/ratelimit"
	"skillcert/repo"
)

// The copy of a candidate's data (个人信息副本, PIPL Art. 45): everything skillcert
// holds about them, labelled in Chinese for the person who reads it. Their own ID
// number and phone are shown in full: the copy is for them alone.

// ExportPerDay is how many copies a candidate may ask for in a day.
const ExportPerDay = 10

// DataExport is the whole copy.
type DataExport struct {
	ExportedAt    time.Time            `json:"导出时间"`
	Notice        string               `json:"说明"`
	Account       ExportAccount        `json:"账号与身份信息"`
	Registrations []ExportRegistration `json:"报名记录"`
	Certificates  []ExportCertificate  `json:"成绩与证书"`
	Feedback      []ExportFeedback     `json:"督导反馈"`
	Training      []ExportIntention    `json:"培训意向"`
	Consents      []ExportConsent      `json:"授权与同意记录"`
	Notifications []ExportNotification `json:"消息通知记录"`
}

// ExportAccount is the account and its bound identity.
type ExportAccount struct {
	AccountID      int64  `json:"账号编号"`
	Name           string `json:"姓名"`
	IDType         string `json:"证件类型"`
	IDNumber       string `json:"证件号码"`
	Gender         string `json:"性别"`
	BirthDate      string `json:"出生日期"`
	VerifyState    string `json:"实名核验状态"`
	Phone          string `json:"手机号码"`
	OfficialAcct   bool   `json:"已关联公众号"`
	WeChatAccounts string `json:"微信账号"`
}

// ExportRegistration is one registration with its form, attachments and history.
type ExportRegistration struct {
	ID                 int64              `json:"报名编号"`
	Status             string             `json:"报名状态"`
	PlanNo             string             `json:"评价计划编号"`
	PlanName           string             `json:"评价计划名称"`
	Institution        string             `json:"评价机构"`
	Occupation         string             `json:"职业（工种）"`
	Level              string             `json:"评价等级"`
	Basis              string             `json:"报考依据"`
	Education          string             `json:"文化程度"`
	YearsInOccupation  *int               `json:"从业年限"`
	CandidateSource    string             `json:"考生来源"`
	LaborRelation      string             `json:"劳务关系"`
	Phone              string             `json:"手机号码"`
	Employer           string             `json:"所在单位"`
	CommitmentAccepted *time.Time         `json:"承诺时间"`
	ReviewNote         string             `json:"审核意见"`
	Attachments        []ExportAttachment `json:"附件"`
	History            []ExportEvent      `json:"办理过程"`
}

// ExportAttachment is one uploaded file; the zip copy holds the file itself.
type ExportAttachment struct {
	Seq        int       `json:"序号"`
	Item       string    `json:"材料"`
	FileName   string    `json:"文件名称"`
	UploadedAt time.Time `json:"上传时间"`
	Size       int64     `json:"大小（字节）"`
	InZip      string    `json:"压缩包内路径,omitempty"`
}

// ExportEvent is one step of a registration's history.
type ExportEvent struct {
	At   time.Time `json:"时间"`
	What string    `json:"事项"`
}

// ExportCertificate is the results and certificate progress of a registration.
type ExportCertificate struct {
	RegistrationID int64    `json:"报名编号"`
	PlanNo         string   `json:"评价计划编号"`
	Results        []string `json:"成绩"`
	Stage          string   `json:"证书进度"`
	CertNo         string   `json:"证书编号"`
}

// ExportFeedback is a supervision feedback the candidate sent, with its reply.
type ExportFeedback struct {
	ID        int64      `json:"反馈编号"`
	PlanNo    string     `json:"评价计划编号"`
	Category  string     `json:"反馈类别"`
	Content   string     `json:"反馈内容"`
	Anonymous bool       `json:"匿名"`
	Images    []string   `json:"图片"`
	Status    string     `json:"办理状态"`
	Reply     string     `json:"答复"`
	RepliedAt *time.Time `json:"答复时间"`
	SentAt    time.Time  `json:"提交时间"`
}

// ExportIntention is a training intention.
type ExportIntention struct {
	Occupation     string     `json:"职业"`
	Level          string     `json:"等级"`
	City           string     `json:"城市"`
	PreferredTime  string     `json:"期望培训时间"`
	Phone          string     `json:"联系电话"`
	Note           string     `json:"备注"`
	ContactConsent bool       `json:"同意评价机构联系"`
	ConsentAt      *time.Time `json:"同意时间"`
	CreatedAt      time.Time  `json:"登记时间"`
}

// ExportConsent is a consent with the version of the text agreed to.
type ExportConsent struct {
	Kind       string    `json:"授权事项"`
	Version    string    `json:"文本版本"`
	AcceptedAt time.Time `json:"同意时间"`
}

// ExportNotification is a notification the system sent or meant to send.
type ExportNotification struct {
	Kind           string     `json:"通知事项"`
	RegistrationID *int64     `json:"报名编号"`
	Channel        string     `json:"发送渠道"`
	State          string     `json:"发送状态"`
	CreatedAt      time.Time  `json:"产生时间"`
	SentAt         *time.Time `json:"发送时间"`
}

// ExportFile is a file of the zip copy: an attachment or a feedback photo.
type ExportFile struct {
	Path    string // inside the zip
	BlobKey string
}

var consentNames = map[string]string{"privacy": "个人信息处理（绑定身份）", "phone": "手机号码"}

var notifyStateNames = map[string]string{"pending": "待发送", "sending": "发送中", "sent": "已发送",
	"app_only": "仅在小程序内显示", "failed": "发送失败"}

var notifyChannelNames = map[string]string{repo.ChannelSubscribe: "小程序订阅消息",
	repo.ChannelTemplate: "公众号模板消息", repo.ChannelApp: "仅在小程序内显示", "": "—"}

// eventNames names the notification events in the copy; an event without a name
// here shows its code.
var eventNames = map[string]string{
	domain.EventRegistrationSubmitted: "报名已提交", domain.EventRegistrationApproved: "报名审核通过",
	domain.EventRegistrationReturned: "报名退回修改", domain.EventRegistrationRejected: "报名审核不通过",
	domain.EventRegistrationCancelled: "报名已撤销", domain.EventRegistrationCancelledByInstitution: "报名由评价机构撤销",
	domain.EventPlanChanged: "评价计划变更", domain.EventPlanCancelled: "评价计划取消", domain.EventExamReminder: "考试提醒",
	domain.EventResultPublished: "成绩发布", domain.EventCertStage: "证书进度", domain.EventFeedbackReplied: "督导反馈已答复",
	domain.EventFeedbackImageRejected: "反馈图片未通过检测",
}

func eventName(kind string) string {
	if n, ok := eventNames[kind]; ok {
		return n
	}
	return kind
}

// ExportMyData returns the copy of everything held about the candidate, and the
// files a zip copy adds. It is limited to ExportPerDay a day and audited.
func (c *Core) ExportMyData(ctx context.Context, candidateID int64) (*DataExport, []ExportFile, error) {
	allowed, retry, err := c.limiter.Limit(ctx, fmt.Sprintf("export:candidate:%d", candidateID), ExportPerDay, 24*time.Hour)
	if err != nil {
		return nil, nil, domain.Internal(err)
	}
	if !allowed {
		return nil, nil, ratelimit.RateLimited("export_rate_limited", fmt.Sprintf("每天最多导出%d次，请明天再试", ExportPerDay), retry)
	}
	me, err := c.GetMe(ctx, candidateID)
	if err != nil {
		return nil, nil, err
	}
	out := &DataExport{
		ExportedAt: c.now().UTC().Truncate(time.Second),
		Notice: "这是技能等级认定报名系统保存的关于您的全部个人信息副本（《个人信息保护法》第四十五条）。" +
			"证件号码与手机号码为完整号码，请妥善保管。",
		Registrations: []ExportRegistration{}, Certificates: []ExportCertificate{}, Feedback: []ExportFeedback{},
		Training: []ExportIntention{}, Consents: []ExportConsent{}, Notifications: []ExportNotification{},
	}
	out.Account = ExportAccount{AccountID: me.ID, Name: me.Name, IDType: me.IDTypeName, IDNumber: me.IDNumber,
		Gender: me.Gender, BirthDate: me.BirthDate, VerifyState: me.VerifyStateName, OfficialAcct: me.OABound,
		WeChatAccounts: "小程序账号（openid）已关联；openid 由微信分配，不在副本中列出"}
	if out.Account.Phone, err = c.candidatePhone(ctx, candidateID); err != nil {
		return nil, nil, err
	}
	files, err := c.exportRegistrations(ctx, candidateID, out)
	if err != nil {
		return nil, nil, err
	}
	if err := c.exportCertificates(ctx, candidateID, out); err != nil {
		return nil, nil, err
	}
	more, err := c.exportFeedback(ctx, candidateID, out)
	if err != nil {
		return nil, nil, err
	}
	files = append(files, more...)
	if err := c.exportRest(ctx, candidateID, out); err != nil {
		return nil, nil, err
	}
	_ = c.auditCandidate(ctx, c.db.Write(), candidateID, AuditDataExport, "candidate", candidateID, // a failure is logged
		fmt.Sprintf("导出个人信息副本：报名 %d 条，附件与图片 %d 个", len(out.Registrations), len(files)))
	return out, files, nil
}

// candidatePhone returns the candidate's own phone in full ("" when none).
func (c *Core) candidatePhone(ctx context.Context, candidateID int64) (string, error) {
	cand, err := c.db.Read().GetCandidate(ctx, candidateID)
	if err != nil {
		return "", domain.Internal(err)
	}
	if !cand.PhoneEnc.Valid {
		return "", nil
	}
	phone, err := c.pii.Open(cand.PhoneEnc.String)
	if err != nil {
		return "", domain.Internal(err)
	}
	return phone, nil
}

// exportRegistrations adds every registration with its attachments and history.
func (c *Core) exportRegistrations(ctx context.Context, candidateID int64, out *DataExport) ([]ExportFile, error) {
	var views []RegistrationView
	for page := 1; ; page++ {
		p, err := c.ListRegistrations(ctx, candidateID, ListQuery{Page: page, PageSize: 100})
		if err != nil {
			return nil, err
		}
		views = append(views, p.Items...)
		if len(p.Items) < 100 {
			break
		}
	}
	ids := make([]int64, len(views))
	for i, v := range views {
		ids[i] = v.ID
	}
	events, err := c.db.RegistrationEvents(ctx, ids)
	if err != nil {
		return nil, domain.Internal(err)
	}
	var files []ExportFile
	for _, v := range views {
		r := ExportRegistration{ID: v.ID, Status: v.StatusName, PlanNo: v.Plan.PlanNo, PlanName: v.Plan.PlanName,
			Institution: v.Plan.InstitutionName, Occupation: v.Plan.OccupationName + "（" + v.Plan.WorkType + "）",
			Level: v.Plan.LevelName, Basis: v.BasisName, Education: c.opts.EducationName(v.Education),
			YearsInOccupation: v.YearsInOccupation, CandidateSource: c.opts.CandidateSourceName(v.CandidateSource),
			LaborRelation: c.opts.LaborRelationName(v.LaborRelation), Phone: v.Phone, Employer: v.Employer,
			CommitmentAccepted: v.CommitmentAcceptedAt, ReviewNote: v.ReviewNote,
			Attachments: []ExportAttachment{}, History: registrationHistory(v, events)}
		atts, err := c.ListAttachments(ctx, candidateID, v.ID)
		if err != nil {
			return nil, err
		}
		for _, a := range atts {
			path := fmt.Sprintf("报名%d/%02d_%s", v.ID, a.Seq, a.FileName)
			r.Attachments = append(r.Attachments, ExportAttachment{Seq: a.Seq, Item: a.ItemName, FileName: a.FileName,
				UploadedAt: a.UploadedAt, Size: a.Size, InZip: path})
			key, err := c.attachmentBlob(ctx, v.ID, a.ID)
			if err != nil {
				return nil, err
			}
			files = append(files, ExportFile{Path: path, BlobKey: key})
		}
		out.Registrations = append(out.Registrations, r)
	}
	return files, nil
}

// registrationHistory lists a registration's steps, oldest first.
func registrationHistory(v RegistrationView, events []repo.RegistrationEvent) []ExportEvent {
	h := []ExportEvent{{At: v.CreatedAt, What: "通过报名码创建报名"}}
	if v.SubmittedAt != nil {
		h = append(h, ExportEvent{At: *v.SubmittedAt, What: "提交报名（最近一次）"})
	}
	for _, e := range events {
		if e.RegistrationID == v.ID {
			what := AuditName(e.Action)
			if e.Detail != "" {
				what += "：" + e.Detail
			}
			h = append(h, ExportEvent{At: e.CreatedAt, What: what})
		}
	}
	h = append(h, ExportEvent{At: v.UpdatedAt, What: "最近更新，当前状态：" + v.StatusName})
	return h
}

// attachmentBlob returns the blob key of one of the registration's attachments.
func (c *Core) attachmentBlob(ctx context.Context, registrationID, attachmentID int64) (string, error) {
	a, err := c.db.Read().GetAttachment(ctx, registrationID, attachmentID)
	if err != nil {
		return "", domain.Internal(err)
	}
	return a.BlobKey, nil
}

func (c *Core) exportCertificates(ctx context.Context, candidateID int64, out *DataExport) error {
	certs, err := c.ListCertificates(ctx, candidateID)
	if err != nil {
		return err
	}
	for _, ct := range certs {
		e := ExportCertificate{RegistrationID: ct.RegistrationID, PlanNo: ct.Plan.PlanNo, Results: []string{},
			Stage: ct.StageName, CertNo: ct.CertNo}
		for _, r := range ct.Results {
			e.Results = append(e.Results, r.SubjectName+"："+r.ResultName)
		}
		out.Certificates = append(out.Certificates, e)
	}
	return nil
}

// exportFeedback adds the feedback the candidate sent, with replies and photos.
func (c *Core) exportFeedback(ctx context.Context, candidateID int64, out *DataExport) ([]ExportFile, error) {
	var files []ExportFile
	for page := 1; ; page++ {
		p, err := c.ListFeedback(ctx, candidateID, ListQuery{Page: page, PageSize: 100})
		if err != nil {
			return nil, err
		}
		for _, f := range p.Items {
			e := ExportFeedback{ID: f.ID, PlanNo: f.Plan.PlanNo, Category: f.CategoryName, Content: f.Content,
				Anonymous: f.Anonymous, Images: []string{}, Status: f.StatusName, Reply: f.Reply,
				RepliedAt: f.RepliedAt, SentAt: f.CreatedAt}
			images, err := c.db.Read().ListFeedbackImages(ctx, f.ID)
			if err != nil {
				return nil, domain.Internal(err)
			}
			for i, im := range images {
				path := fmt.Sprintf("督导反馈%d/%d_%s", f.ID, i+1, im.FileName)
				e.Images = append(e.Images, path)
				files = append(files, ExportFile{Path: path, BlobKey: im.BlobKey})
			}
			out.Feedback = append(out.Feedback, e)
		}
		if len(p.Items) < 100 {
			return files, nil
		}
	}
}

// exportRest adds training intentions, consents and notifications.
func (c *Core) exportRest(ctx context.Context, candidateID int64, out *DataExport) error {
	rows, err := c.db.ListCandidateIntentions(ctx, candidateID)
	if err != nil {
		return domain.Internal(err)
	}
	for _, t := range rows {
		phone, err := c.pii.Open(t.PhoneEnc)
		if err != nil {
			return domain.Internal(err)
		}
		out.Training = append(out.Training, ExportIntention{Occupation: t.Occupation, Level: domain.Level(t.Level).Name(),
			City: t.City, PreferredTime: t.PreferredTime, Phone: phone, Note: t.Note, ContactConsent: t.ContactConsent,
			ConsentAt: timePtr(t.ConsentAt.Time, t.ConsentAt.Valid), CreatedAt: t.CreatedAt})
	}
	consents, err := c.db.Consents(ctx, candidateID)
	if err != nil {
		return domain.Internal(err)
	}
	for _, k := range consents {
		name := consentNames[k.Kind]
		if name == "" {
			name = k.Kind
		}
		out.Consents = append(out.Consents, ExportConsent{Kind: name, Version: k.Version, AcceptedAt: k.AcceptedAt})
	}
	sent, err := c.db.CandidateNotifications(ctx, candidateID)
	if err != nil {
		return domain.Internal(err)
	}
	for _, n := range sent {
		e := ExportNotification{Kind: eventName(n.Kind), Channel: notifyChannelNames[n.Channel],
			State: notifyStateNames[n.State], CreatedAt: n.CreatedAt, SentAt: timePtr(n.SentAt.Time, n.SentAt.Valid)}
		if e.Channel == "" {
			e.Channel = n.Channel
		}
		if n.RegistrationID.Valid {
			id := n.RegistrationID.Int64
			e.RegistrationID = &id
		}
		out.Notifications = append(out.Notifications, e)
	}
	return nil
}

// WriteExportZip writes the copy as a zip: 我的数据.json and every file it names.
// A file missing from the store is listed in 缺失文件.txt rather than failing the copy.
func (c *Core) WriteExportZip(ctx context.Context, data *DataExport, files []ExportFile, w io.Writer) error {
	z := zip.NewWriter(w)
	j, err := z.Create("我的数据.json")
	if err != nil {
		return err
	}
	enc := json.NewEncoder(j)
	enc.SetIndent("", "  ")
	if err := enc.Encode(data); err != nil {
		return err
	}
	var missing []string
	for _, f := range files {
		if err := c.copyBlobInto(ctx, z, f); err != nil {
			c.log.Warn("export: file unavailable", "blob", f.BlobKey, "err", err)
			missing = append(missing, f.Path)
		}
	}
	if len(missing) > 0 {
		m, err := z.Create("缺失文件.txt")
		if err != nil {
			return err
		}
		if _, err := io.WriteString(m, "以下文件暂时无法读取，请稍后重新导出：\n"+strings.Join(missing, "\n")+"\n"); err != nil {
			return err
		}
	}
	return z.Close()
}

func (c *Core) copyBlobInto(ctx context.Context, z *zip.Writer, f ExportFile) error {
	if c.reg.blobs == nil {
		return errors.New("no blob store")
	}
	r, err := c.reg.blobs.Open(ctx, f.BlobKey)
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := z.CreateHeader(&zip.FileHeader{Name: f.Path, Method: zip.Store, Modified: c.now()})
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	return err
}
