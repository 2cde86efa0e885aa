package domain

import "slices"

// Attachment checklist keys (附件清单).
const (
	AttachDiploma         = "diploma"          // 毕业证
	AttachCHSIRecord      = "chsi_record"      // 学信网电子注册备案表
	AttachSocialInsurance = "social_insurance" // 社保证明
	AttachWorkProof       = "work_proof"       // 盖章工作证明
	AttachLaborContract   = "labor_contract"   // 劳动合同
	AttachTitleCert       = "title_cert"       // 职称或技能证书
	AttachSelfProof       = "self_proof"       // 单位自证材料
)

// ChecklistItem is one attachment the candidate is asked for. Required items must be
// uploaded before submitting; the others are recommended.
type ChecklistItem struct {
	Key      string `json:"key"`
	Name     string `json:"name"`
	Required bool   `json:"required"`
	Hint     string `json:"hint"`
}

// higherEducation are the 文化程度 codes of 大专及以上 (研究生, 大学本科, 大学专科),
// for whom the 学信网 record is required.
var higherEducation = []string{"10", "21", "31"}

// need says when an attachment rule applies as required.
type need int

const (
	needAlways          need = iota + 1 // required
	needIfHigherEdu                     // required for 大专及以上, recommended otherwise
	needRecommended                     // recommended
	needOnEmployerAlert                 // recommended, listed only when the employer warning is raised
)

// attachmentRule is one row of the checklist table.
type attachmentRule struct {
	key, name string
	bases     []string // the bases it applies to; nil means every basis
	need      need
	hint      string // shown when required (or always, for recommended items)
	hintOpt   string // shown when a needIfHigherEdu item is only recommended
}

var employerBases = []string{BasisWorkYears, BasisTitleOrCert}

// attachmentRules is DOMAIN.md's attachment column as a table, in display order.
var attachmentRules = []attachmentRule{
	{key: AttachDiploma, name: "毕业证", need: needAlways,
		hint: "上传最高学历毕业证书的扫描件或照片"},
	{key: AttachCHSIRecord, name: "学信网电子注册备案表", need: needIfHigherEdu,
		hint:    "大专及以上学历必须上传学信网（chsi.com.cn）教育部学历证书电子注册备案表",
		hintOpt: "大专及以上学历必须上传；其他学历如有可上传"},
	{key: AttachSocialInsurance, name: "社保证明", bases: employerBases, need: needRecommended,
		hint: "社保缴费证明；能提供的都要上传"},
	{key: AttachWorkProof, name: "盖章工作证明", bases: employerBases, need: needRecommended,
		hint: "加盖单位公章的工作证明；能提供的都要上传"},
	{key: AttachLaborContract, name: "劳动合同", bases: employerBases, need: needRecommended,
		hint: "与所在单位签订的劳动合同；能提供的都要上传"},
	{key: AttachTitleCert, name: "职称或技能证书", bases: []string{BasisTitleOrCert}, need: needAlways,
		hint: "上传本次报考所依据的职称证书或职业资格/技能等级证书"},
	{key: AttachSelfProof, name: "单位自证材料", bases: employerBases, need: needOnEmployerAlert,
		hint: "所在单位与人社系统中的工作单位信息不符，请上传在职证明等自证材料"},
}

// Checklist returns the attachments asked for a basis, given the candidate's
// 文化程度 code and whether the employer check found a mismatch. 单位自证材料 is
// listed only on a mismatch, and only for the bases that involve an employer. An
// unknown basis gets the items every basis shares (毕业证, 学信网备案表).
func Checklist(basis, educationCode string, employerMismatch bool) []ChecklistItem {
	higher := slices.Contains(higherEducation, educationCode)
	var out []ChecklistItem
	for _, r := range attachmentRules {
		if r.bases != nil && !slices.Contains(r.bases, basis) {
			continue
		}
		item := ChecklistItem{Key: r.key, Name: r.name, Hint: r.hint}
		switch r.need {
		case needAlways:
			item.Required = true
		case needIfHigherEdu:
			item.Required = higher
			if !higher {
				item.Hint = r.hintOpt
			}
		case needOnEmployerAlert:
			if !employerMismatch {
				continue
			}
		}
		out = append(out, item)
	}
	return out
}

// MissingRequired returns the keys of the required items of a checklist that are
// not among the uploaded keys, in checklist order; nil when nothing is missing.
func MissingRequired(items []ChecklistItem, uploaded []string) []string {
	var missing []string
	for _, it := range items {
		if it.Required && !slices.Contains(uploaded, it.Key) {
			missing = append(missing, it.Key)
		}
	}
	return missing
}

// ChecklistItemName returns the name of an attachment item key, e.g. "毕业证";
// the key itself when unknown.
func ChecklistItemName(key string) string {
	for _, r := range attachmentRules {
		if r.key == key {
			return r.name
		}
	}
	return key
}

// AttachmentsComplete reports whether every required attachment of a registration
// with this basis, 文化程度 and employer check result is among the uploaded keys
// (材料齐全). Reviewers' lists and the submit check ask the same question here.
func AttachmentsComplete(basis, educationCode string, employerMismatch bool, uploaded []string) bool {
	return len(MissingRequired(Checklist(basis, educationCode, employerMismatch), uploaded)) == 0
}
