package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// Audited staff actions, with the names the audit page shows.
const (
	AuditLogin           = "login"
	AuditLoginFailed     = "login_failed"
	AuditLogout          = "logout"
	AuditStaffCreate     = "staff.create"
	AuditStaffDisable    = "staff.disable"
	AuditStaffEnable     = "staff.enable"
	AuditStaffUnlock     = "staff.unlock"
	AuditInstCreate      = "institution.create"
	AuditPlanCreate      = "plan.create"
	AuditPlanUpdate      = "plan.update"
	AuditPlanPublish     = "plan.publish"
	AuditPlanClose       = "plan.close"
	AuditCodesGenerate   = "codes.generate"
	AuditCodeRevoke      = "code.revoke"
	AuditRegView         = "registration.view"
	AuditRegReview       = "registration.review"
	AuditAttachmentView  = "attachment.view"
	AuditRosterExport    = "roster.export"
	AuditResultsImport   = "results.import"
	AuditResultsEdit     = "results.edit"
	AuditResultsRejected = "results.rejected"
	AuditResultsFailed   = "results.failed"
	AuditFeedbackView    = "feedback.view"
	AuditFeedbackStatus  = "feedback.status"
	AuditFeedbackReply   = "feedback.reply"
	AuditFeedbackExport  = "feedback.export"
	AuditTrainingExport  = "training.export"
	AuditInstCity        = "institution.city"

	// Candidates' own requests about their personal data (PIPL).
	AuditDataExport    = "candidate.export"
	AuditAccountDelete = "candidate.delete"
	AuditPlanReopen    = "plan.reopen"
	AuditLogExport     = "audit.export"
)

var auditNames = map[string]string{
	AuditLogin: "登录", AuditLoginFailed: "登录失败", AuditLogout: "退出登录",
	AuditStaffCreate: "创建账号", AuditStaffDisable: "停用账号", AuditStaffEnable: "启用账号",
	AuditStaffUnlock: "解除账号锁定",
	AuditInstCreate:  "新增评价机构", AuditPlanCreate: "新建评价计划", AuditPlanUpdate: "修改评价计划",
	AuditPlanPublish: "发布评价计划", AuditPlanClose: "关闭评价计划", AuditCodesGenerate: "生成报名码",
	AuditCodeRevoke: "作废报名码", AuditRegView: "查看报名详情", AuditRegReview: "审核报名",
	AuditAttachmentView: "查看附件", AuditRosterExport: "导出花名册", AuditResultsImport: "导入成绩与证书进度",
	AuditResultsEdit: "修改成绩与证书进度", AuditResultsRejected: "成绩文件校验未通过", AuditResultsFailed: "成绩导入中途失败",
	AuditFeedbackView: "查看督导反馈", AuditFeedbackStatus: "变更反馈办理状态", AuditFeedbackReply: "答复督导反馈",
	AuditFeedbackExport: "导出督导反馈", AuditTrainingExport: "导出培训意向联系人", AuditInstCity: "设置评价机构所在城市",
	AuditNotificationRequeue: "重新发送通知",
	AuditDataExport:          "考生导出个人信息副本", AuditAccountDelete: "考生注销账号", AuditPlanReopen: "重新开放评价计划",
	AuditLogExport: "导出审计日志",
}

// AuditActions returns the audited actions as filter options.
func AuditActions() []domain.Option {
	order := []string{AuditLogin, AuditLoginFailed, AuditLogout, AuditPlanCreate, AuditPlanUpdate,
		AuditPlanPublish, AuditPlanClose, AuditCodesGenerate, AuditCodeRevoke, AuditRegView, AuditRegReview,
		AuditAttachmentView, AuditRosterExport, AuditResultsImport, AuditResultsEdit, AuditResultsRejected, AuditResultsFailed,
		AuditFeedbackView, AuditFeedbackStatus, AuditFeedbackReply, AuditFeedbackExport, AuditTrainingExport,
		AuditStaffCreate, AuditStaffDisable, AuditStaffEnable, AuditStaffUnlock, AuditInstCreate, AuditInstCity, AuditNotificationRequeue,
		AuditPlanReopen, AuditDataExport, AuditAccountDelete, AuditLogExport}
	order = append(order, pickerAuditActions...)
	order = append(order, examAuditActions...)
	order = append(order, reviewAuditActions...)
	out := make([]domain.Option, 0, len(order))
	for _, a := range order {
		out = append(out, domain.Option{Code: a, Name: auditNames[a]})
	}
	return out
}

// objectNames are the audit log's object kinds as people read them.
var objectNames = map[string]string{"plan": "评价计划", "registration": "报名", "staff": "账号",
	"institution": "评价机构", "registration_code": "报名码", "attachment": "附件",
	"feedback": "督导反馈", "outbox": "通知"}

// AuditObjectName is the Chinese name of an audit entry's object kind ("" when unknown).
func AuditObjectName(kind string) string { return objectNames[kind] }

// AuditName returns the Chinese name of an audited action (the code when unknown).
func AuditName(action string) string {
	if n, ok := auditNames[action]; ok {
		return n
	}
	return action
}

// audit appends an entry inside x (the transaction of the change, so the change
// and its record commit together). A nil st is the operator's command line.
// detail must not hold ID numbers, phones or passwords.
func (c *Core) audit(ctx context.Context, x repo.Writer, st *Staff, action, objectKind string, objectID int64, detail string) error {
	e := repo.AuditEntry{ActorKind: "system", Action: action, ObjectKind: objectKind,
		ObjectID: sql.NullInt64{Int64: objectID, Valid: objectID != 0}, Detail: detail,
		CreatedAt: c.now().UTC().Truncate(time.Microsecond)}
	if st != nil {
		e.ActorKind = "staff"
		e.ActorID = sql.NullInt64{Int64: st.ID, Valid: st.ID != 0}
		e.IP = st.IP
	}
	return x.InsertAudit(ctx, e)
}

// auditNow appends an entry on its own, for actions that change nothing else
// (views, exports, failed sign-ins). A failure to write is logged, not returned.
func (c *Core) auditNow(ctx context.Context, st *Staff, action, objectKind string, objectID int64, detail string) {
	if err := c.audit(ctx, c.db.Write(), st, action, objectKind, objectID, detail); err != nil {
		c.log.Error("audit write failed", "action", action, "err", err)
	}
}

// AuditQuery is a page of the audit log as an admin asks for it: the first
// (newest) page, the page older than Before, the page newer than After, or the
// last (oldest) page. Keyset pages cost their size however long the log is.
type AuditQuery struct {
	ActorID  int64
	Action   string
	Before   int64
	After    int64
	Last     bool
	PageSize int
	// From and To ("YYYY-MM-DD", Beijing days, both included; "" = open) bound
	// the export.
	From, To string
	// JSONLines makes the export JSON Lines instead of xlsx.
	JSONLines bool
}

// errAuditDone stops the export's walk once it is past the date range.
var errAuditDone = errors.New("past the range")

// exportRange validates the export's dates: the first instant included and
// the first one past (zero = open).
func (q AuditQuery) exportRange() (from, until time.Time, err error) {
	var fe []domain.FieldError
	if q.From != "" {
		t, ok := domain.ParseDate(q.From)
		if !ok {
			fe = append(fe, domain.FieldError{Field: "from", Code: "date_invalid", Message: "开始日期格式应为 年-月-日，如 2026-01-01"})
		}
		from = t
	}
	if q.To != "" {
		if !domain.ValidDate(q.To) {
			fe = append(fe, domain.FieldError{Field: "to", Code: "date_invalid", Message: "结束日期格式应为 年-月-日，如 2026-12-31"})
		} else {
			until = domain.DayEnd(q.To)
		}
	}
	if len(fe) == 0 && !from.IsZero() && !until.IsZero() && !from.Before(until) {
		fe = append(fe, domain.FieldError{Field: "to", Code: "date_order", Message: "结束日期不能早于开始日期"})
	}
	if len(fe) > 0 {
		return from, until, domain.FieldsError(fe)
	}
	return from, until, nil
}

// ExactCount is how far the console's lists (audit log, feedback inbox, a
// plan search) count their matches exactly; beyond it they say about how
// many ("共约 1.2 万条", repo.ListCount).
const ExactCount = 1000

// AuditPage is one keyset page of the audit log, newest first.
type AuditPage struct {
	Items []AuditEntry
	// Total is the number of matching entries: exact, or an estimate beyond
	// ExactCount (TotalApprox).
	Total       int
	TotalApprox bool
	// Newer and Older are the keys of the neighbouring pages (0: none).
	Newer, Older int64
	IsFirst      bool // no newer entries
	IsLast       bool // no older entries
}

// ListAuditLog returns a page of the audit log, newest first; admins only.
func (c *Core) ListAuditLog(ctx context.Context, st *Staff, q AuditQuery) (AuditPage, error) {
	if !st.Is(domain.RoleAdmin) {
		return AuditPage{}, errStaffForbidden
	}
	_, size := consolePage(1, q.PageSize)
	f := repo.AuditFilter{ActorID: q.ActorID, Action: q.Action}
	k := repo.AuditKey{Before: q.Before, After: q.After, Last: q.Last}
	if k.After > 0 || k.Last {
		k.Before = 0
	}
	rows, err := c.db.AuditPage(ctx, f, k, size+1) // one more tells whether the far side goes on
	if err != nil {
		return AuditPage{}, domain.Internal(err)
	}
	out := AuditPage{}
	towardsNewer := k.After > 0 || k.Last
	more := len(rows) > size
	if more {
		if towardsNewer {
			rows = rows[1:] // the extra one is the newest
		} else {
			rows = rows[:size]
		}
	}
	if towardsNewer {
		out.IsFirst, out.IsLast = !more, k.Last
	} else {
		out.IsFirst, out.IsLast = k.Before <= 0, !more
	}
	if len(rows) > 0 {
		if !out.IsFirst {
			out.Newer = rows[0].ID
		}
		if !out.IsLast {
			out.Older = rows[len(rows)-1].ID
		}
	}
	out.Items = views(rows, auditEntryView)
	n, err := c.db.CountAudit(ctx, f, ExactCount)
	if err != nil {
		return AuditPage{}, domain.Internal(err)
	}
	out.Total, out.TotalApprox = n.N, n.Approx
	return out, nil
}

// consolePage clamps a requested page and size: page from 1, size 1..100 (20 by default).
func consolePage(page, size int) (int, int) {
	if page < 1 {
		page = 1
	}
	if page > 100000 {
		page = 100000
	}
	if size < 1 || size > 100 {
		size = 20
	}
	return page, size
}

// auditColumns are the columns of the audit log export.
var auditColumns = []column{{"序号", 8}, {"时间", 20}, {"操作人", 14}, {"操作", 18}, {"对象", 16}, {"说明", 60}, {"IP", 16}}

// ExportAuditLog is the audit log as filtered (every matching entry, newest first,
// streamed row by row when written); admins only. The export is itself audited
// with the number of rows that went out.
func (c *Core) ExportAuditLog(ctx context.Context, st *Staff, q AuditQuery) (*SheetStream, error) {
	if !st.Is(domain.RoleAdmin) {
		return nil, errStaffForbidden
	}
	from, until, err := q.exportRange()
	if err != nil {
		return nil, err
	}
	f := repo.AuditFilter{ActorID: q.ActorID, Action: q.Action}
	fill := func(ctx context.Context, put func([]any) error) (int, error) {
		n := 0
		err := c.db.EachAudit(ctx, f, func(a repo.AuditEntry) error {
			// Newest first by id, which follows the time: skip what is newer
			// than the range, stop at the first entry older than it.
			if !until.IsZero() && !a.CreatedAt.Before(until) {
				return nil
			}
			if !from.IsZero() && a.CreatedAt.Before(from) {
				return errAuditDone
			}
			actor := a.ActorName
			switch {
			case actor == "" && a.ActorKind == "system":
				actor = "命令行"
			case actor == "" && a.ActorID.Valid:
				actor = fmt.Sprintf("#%d", a.ActorID.Int64)
			}
			obj := AuditObjectName(a.ObjectKind)
			if a.ObjectID.Valid {
				obj = strings.TrimSpace(fmt.Sprintf("%s #%d", obj, a.ObjectID.Int64))
			}
			n++
			return put([]any{n, domain.FormatCNTime(a.CreatedAt), actor, AuditName(a.Action), obj, a.Detail, a.IP})
		})
		if errors.Is(err, errAuditDone) {
			err = nil
		}
		return n, err
	}
	done := func(ctx context.Context, n int, err error) {
		detail := fmt.Sprintf("%d 条", n)
		if q.From != "" || q.To != "" {
			detail = fmt.Sprintf("%s 至 %s，", openEnd(q.From), openEnd(q.To)) + detail
		}
		if q.Action != "" {
			detail = AuditName(q.Action) + "，" + detail
		}
		if q.JSONLines {
			detail += "（JSON Lines）"
		}
		if err != nil {
			detail += "（导出中断）"
		}
		c.auditNow(context.WithoutCancel(ctx), st, AuditLogExport, "", 0, detail)
	}
	s := &SheetStream{FileName: "审计日志_" + domain.TodayBeijing(c.now()) + ".xlsx", sheet: "审计日志",
		cols: auditColumns, fill: fill, done: done}
	if q.JSONLines {
		s.AsJSONLines()
	}
	return s, nil
}

// openEnd names an open end of a date range.
func openEnd(s string) string {
	if s == "" {
		return "不限"
	}
	return s
}
