package domain

import "testing"

func TestCertStages(t *testing.T) {
	want := []struct {
		s    CertStage
		name string
		pos  int
	}{
		{"score_entered", "成绩录入", 1},
		{"score_published", "成绩公示", 2},
		{"result_approved", "认定结果审核通过", 3},
		{"cert_made", "证书制作（赋码）", 4},
		{"reported_national", "已上报全国联网", 5},
		{"awaiting_pickup", "待领取", 6},
		{"mailed", "已邮寄", 6},
		{"collected", "已领取", 7},
	}
	got := CertStages()
	opts := CertStageOptions()
	if len(got) != len(want) || len(opts) != len(want) {
		t.Fatalf("CertStages() = %v", got)
	}
	for i, w := range want {
		if got[i] != w.s || w.s.Name() != w.name || w.s.Position() != w.pos || !w.s.Valid() {
			t.Errorf("stage %d = %q (%q, %d), want %+v", i, got[i], got[i].Name(), got[i].Position(), w)
		}
		if opts[i] != (Option{string(w.s), w.name}) {
			t.Errorf("CertStageOptions()[%d] = %v", i, opts[i])
		}
	}
	var bad CertStage = "printed"
	if bad.Valid() || bad.Name() != "" || bad.Position() != 0 || CertStage("").Valid() {
		t.Error("unknown stage looks valid")
	}
}

func TestParseCertStage(t *testing.T) {
	tests := []struct {
		in   string
		want CertStage
	}{
		{"score_entered", StageScoreEntered},
		{"成绩录入", StageScoreEntered},
		{" 成绩公示 ", StageScorePublished},
		{"认定结果审核通过", StageResultApproved},
		{"证书制作（赋码）", StageCertMade},
		{"证书制作(赋码)", StageCertMade},
		{"证书制作", StageCertMade},
		{"已上报全国联网", StageReportedNational},
		{"reported_national", StageReportedNational},
		{"待领取", StageAwaitingPickup},
		{"已邮寄", StageMailed},
		{"mailed", StageMailed},
		{"已领取", StageCollected},
		{"", ""},
		{"已打印", ""},
		{"Collected", ""},
	}
	for _, tt := range tests {
		got, err := ParseCertStage(tt.in)
		if tt.want == "" {
			if err == nil || de(err).Field != FieldStage || de(err).Code != "stage_invalid" {
				t.Errorf("ParseCertStage(%q) = %q, %v; want an error", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseCertStage(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
