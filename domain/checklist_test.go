package domain

import (
	"strings"
	"testing"
)

// checklistShape writes a checklist as "key!" (required) or "key?" (recommended).
func checklistShape(items []ChecklistItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		mark := "?"
		if it.Required {
			mark = "!"
		}
		parts[i] = it.Key + mark
	}
	return strings.Join(parts, " ")
}

func TestChecklist(t *testing.T) {
	tests := []struct {
		basis, edu string
		mismatch   bool
		want       string
	}{
		{BasisLevel5, "21", false, "diploma! chsi_record!"},
		{BasisLevel5, "10", false, "diploma! chsi_record!"},
		{BasisLevel5, "31", false, "diploma! chsi_record!"},
		{BasisLevel5, "41", false, "diploma! chsi_record?"},
		{BasisLevel5, "61", true, "diploma! chsi_record?"}, // no employer: no self proof
		{BasisEducation, "31", true, "diploma! chsi_record!"},
		{BasisEducation, "", false, "diploma! chsi_record?"},
		{BasisWorkYears, "21", false, "diploma! chsi_record! social_insurance? work_proof? labor_contract?"},
		{BasisWorkYears, "47", true, "diploma! chsi_record? social_insurance? work_proof? labor_contract? self_proof?"},
		{BasisTitleOrCert, "31", false, "diploma! chsi_record! social_insurance? work_proof? labor_contract? title_cert!"},
		{BasisTitleOrCert, "90", true, "diploma! chsi_record? social_insurance? work_proof? labor_contract? title_cert! self_proof?"},
		{"unknown", "21", true, "diploma! chsi_record!"},
	}
	for _, tt := range tests {
		items := Checklist(tt.basis, tt.edu, tt.mismatch)
		if got := checklistShape(items); got != tt.want {
			t.Errorf("Checklist(%q, %q, %v) = %s\nwant %s", tt.basis, tt.edu, tt.mismatch, got, tt.want)
		}
		for _, it := range items {
			if it.Name == "" || it.Hint == "" {
				t.Errorf("item %+v lacks a name or hint", it)
			}
		}
	}
}

func TestChecklistNamesAndHints(t *testing.T) {
	names := map[string]string{
		AttachDiploma: "毕业证", AttachCHSIRecord: "学信网电子注册备案表", AttachSocialInsurance: "社保证明",
		AttachWorkProof: "盖章工作证明", AttachLaborContract: "劳动合同", AttachTitleCert: "职称或技能证书",
		AttachSelfProof: "单位自证材料",
	}
	for _, it := range Checklist(BasisTitleOrCert, "21", true) {
		if names[it.Key] != it.Name {
			t.Errorf("%s named %q, want %q", it.Key, it.Name, names[it.Key])
		}
	}
	for _, it := range Checklist(BasisWorkYears, "21", false) {
		if it.Key == AttachLaborContract && !strings.Contains(it.Hint, "能提供的都要上传") {
			t.Errorf("labor contract hint %q", it.Hint)
		}
	}
	req := Checklist(BasisLevel5, "21", false)[1]
	opt := Checklist(BasisLevel5, "61", false)[1]
	if req.Hint == opt.Hint || !strings.Contains(opt.Hint, "大专及以上") {
		t.Errorf("chsi hints: required %q, optional %q", req.Hint, opt.Hint)
	}
}

func TestMissingRequired(t *testing.T) {
	items := Checklist(BasisTitleOrCert, "21", true)
	tests := []struct {
		uploaded []string
		want     string
	}{
		{nil, "diploma chsi_record title_cert"},
		{[]string{"diploma", "social_insurance"}, "chsi_record title_cert"},
		{[]string{"diploma", "chsi_record", "title_cert"}, ""},
	}
	for _, tt := range tests {
		if got := strings.Join(MissingRequired(items, tt.uploaded), " "); got != tt.want {
			t.Errorf("MissingRequired(%v) = %q, want %q", tt.uploaded, got, tt.want)
		}
	}
}
