package notify

import "skillcert/domain"

// kindText is what a message says about an event kind, in Chinese: a title, a
// result of at most 5 汉字 (for phrase fields) and a default remark.
type kindText struct {
	title, result, remark string
}

var kindTexts = map[string]kindText{
	domain.EventRegistrationSubmitted:              {"报名已提交", "已提交", "请等待评价机构审核"},
	domain.EventRegistrationApproved:               {"报名审核通过", "审核通过", "请按时参加评价"},
	domain.EventRegistrationReturned:               {"报名被退回修改", "退回修改", "请按退回原因修改后重新提交"},
	domain.EventRegistrationRejected:               {"报名审核不通过", "审核不通过", "如有疑问请联系评价机构"},
	domain.EventRegistrationCancelled:              {"报名已撤销", "已撤销", "您已撤销本次报名"},
	domain.EventRegistrationCancelledByInstitution: {"报名已被评价机构撤销", "机构撤销", "如有疑问请联系评价机构"},
	domain.EventPlanChanged:                        {"评价计划已变更", "计划变更", "请留意新的评价时间和地点"},
	domain.EventPlanCancelled:                      {"评价计划已取消", "计划取消", "如有疑问请联系评价机构"},
	domain.EventExamReminder:                       {"明天参加评价", "考试提醒", "请携带身份证件按时参加评价"},
	domain.EventResultPublished:                    {"评价成绩已公布", "成绩公布", "请进入小程序查看成绩"},
	domain.EventCertStage:                          {"证书进度更新", "进度更新", "请进入小程序查看证书进度"},
	domain.EventFeedbackReplied:                    {"督导反馈已答复", "已答复", "请进入小程序查看答复"},
	domain.EventFeedbackImageRejected:              {"反馈图片未通过检测", "未通过", "该图片不会提交给监管部门"},
	domain.EventDeadlineIn3Days:                    {"报名即将截止", "即将截止", "您的报名尚未提交，请尽快完善并提交"},
	domain.EventDeadlineIn1Day:                     {"报名明天截止", "明天截止", "您的报名尚未提交，请在截止前提交"},
	domain.EventReturnPending:                      {"退回修改待重新提交", "待重新提交", "请按审核意见修改后重新提交"},
	domain.EventPlanFullForDraft:                   {"评价计划名额已满", "名额已满", "草稿不占名额，可订阅有空位提醒"},
	domain.EventSeatFreed:                          {"评价计划有空位", "有空位", "名额不保留，先提交者先得"},
	domain.EventIdentityReleased:                   {"证件号码绑定已解除", "绑定解除", "该证件号码已由本人通过人脸核验认领，如有疑问请联系评价机构"},
	domain.EventTicketIssued:                       {"准考证已发放", "已发放", "请进入小程序查看准考证"},
	domain.EventTicketRevoked:                      {"准考证已作废", "已作废", "报名已撤销，准考证已作废"},
}

// stageTexts are the short result (≤5 汉字) and remark of each certificate stage.
var stageTexts = map[domain.CertStage]kindText{
	domain.StageScoreEntered:     {"", "成绩录入", "成绩已录入"},
	domain.StageScorePublished:   {"", "成绩公示", "成绩正在公示"},
	domain.StageResultApproved:   {"", "审核通过", "认定结果审核通过"},
	domain.StageCertMade:         {"", "证书制作", "证书正在制作（赋码）"},
	domain.StageReportedNational: {"", "已上报", "证书已上报全国联网，可在全国联网查询"},
	domain.StageAwaitingPickup:   {"", "待领取", "证书待领取，请按机构通知领取"},
	domain.StageMailed:           {"", "已邮寄", "证书已邮寄，请留意查收"},
	domain.StageCollected:        {"", "已领取", "证书已领取"},
}

// textOf returns the texts of an event; certificate stages take theirs from the
// stage in the payload.
func textOf(kind string, stage domain.CertStage) kindText {
	t, ok := kindTexts[kind]
	if !ok {
		t = kindText{"报名进度更新", "进度更新", "请进入小程序查看详情"}
	}
	if kind == domain.EventCertStage && stage.Valid() {
		s := stageTexts[stage]
		t.title = "证书进度：" + stage.Name()
		t.result, t.remark = s.result, s.remark
	}
	return t
}

// KindTitle is the Chinese title of an event kind, for staff pages.
func KindTitle(kind string) string { return textOf(kind, "").title }
