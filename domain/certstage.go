package domain

import (
	"strings"

	"golang.org/x/text/width"
)

// CertStage is a step of certificate progress (证书进度), stored as its code.
type CertStage string

// Certificate stages, in order. StageAwaitingPickup and StageMailed are alternatives
// at the same position: a certificate is either picked up or mailed.
const (
	StageScoreEntered     CertStage = "score_entered"     // 成绩录入
	StageScorePublished   CertStage = "score_published"   // 成绩公示
	StageResultApproved   CertStage = "result_approved"   // 认定结果审核通过
	StageCertMade         CertStage = "cert_made"         // 证书制作（赋码）
	StageReportedNational CertStage = "reported_national" // 已上报全国联网: queryable nationally
	StageAwaitingPickup   CertStage = "awaiting_pickup"   // 待领取
	StageMailed           CertStage = "mailed"            // 已邮寄
	StageCollected        CertStage = "collected"         // 已领取
)

// certStageRow describes one stage: its name, its position (1-based; alternatives
// share one) and other names imports may use.
type certStageRow struct {
	stage    CertStage
	name     string
	position int
	aliases  []string
}

var certStages = []certStageRow{
	{StageScoreEntered, "成绩录入", 1, nil},
	{StageScorePublished, "成绩公示", 2, nil},
	{StageResultApproved, "认定结果审核通过", 3, nil},
	{StageCertMade, "证书制作（赋码）", 4, []string{"证书制作", "赋码"}},
	{StageReportedNational, "已上报全国联网", 5, []string{"上报全国联网"}},
	{StageAwaitingPickup, "待领取", 6, nil},
	{StageMailed, "已邮寄", 6, nil},
	{StageCollected, "已领取", 7, nil},
}

// CertStages returns every stage in order (待领取 before its alternative 已邮寄).
func CertStages() []CertStage {
	out := make([]CertStage, 0, len(certStages))
	for _, r := range certStages {
		out = append(out, r.stage)
	}
	return out
}

// CertStageOptions returns the stages as options (code and name), in order.
func CertStageOptions() []Option {
	out := make([]Option, 0, len(certStages))
	for _, r := range certStages {
		out = append(out, Option{Code: string(r.stage), Name: r.name})
	}
	return out
}

func (s CertStage) row() certStageRow {
	for _, r := range certStages {
		if r.stage == s {
			return r
		}
	}
	return certStageRow{}
}

// Valid reports whether s is a known stage.
func (s CertStage) Valid() bool { return s != "" && s.row().stage == s }

// Name returns the Chinese name, e.g. "证书制作（赋码）"; "" when unknown.
func (s CertStage) Name() string { return s.row().name }

// Position returns the 1-based place of the stage in the progress (待领取 and 已邮寄
// share 6); 0 when unknown. Progress bars and "is this later" checks use it.
func (s CertStage) Position() int { return s.row().position }

// ParseCertStage reads a stage from its code ("cert_made") or its Chinese name
// ("证书制作（赋码）", also with half-width brackets or without the bracket); spaces
// are ignored. The error names the field "stage".
func ParseCertStage(s string) (CertStage, error) {
	key := stageKey(s)
	if key != "" {
		for _, r := range certStages {
			if key == string(r.stage) || key == stageKey(r.name) {
				return r.stage, nil
			}
			for _, a := range r.aliases {
				if key == stageKey(a) {
					return r.stage, nil
				}
			}
		}
	}
	return "", Invalid(FieldStage, "stage_invalid", "证书进度环节不正确")
}

// stageKey folds full-width characters and removes spaces, for matching names.
func stageKey(s string) string {
	return strings.Join(strings.Fields(width.Narrow.String(s)), "")
}
