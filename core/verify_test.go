package core_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/pii"
)

// stubVerifier answers every verification with state and err.
type stubVerifier struct {
	state string
	err   error
}

func (s stubVerifier) Verify(context.Context, string, domain.IDDocument) (string, error) {
	return s.state, s.err
}

func TestVerifierDecidesTheState(t *testing.T) {
	db := testenv.OpenDB(t, testenv.NewDSN(t, "sqlite"))
	sealer, err := pii.Parse("k1:c2tpbGxjZXJ0LXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmc=")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cases := []struct {
		verifier  core.Verifier
		wantState string
		wantCode  string
	}{
		{nil, core.VerifyUnverified, ""},
		{stubVerifier{state: core.VerifyVerified}, core.VerifyVerified, ""},
		{stubVerifier{err: domain.Invalid("name", "name_mismatch", "姓名与证件号码不一致")}, "", "name_mismatch"},
		{stubVerifier{err: errors.New("real-name service down")}, core.VerifyUnverified, ""},
	}
	for i, tc := range cases {
		c := core.New(core.Deps{DB: db, Sealer: sealer, Verifier: tc.verifier})
		id, err := db.InsertCandidate(ctx, testenv.NewOpenID(), "", time.Now().UTC())
		if err != nil {
			t.Fatal(err)
		}
		me, err := c.BindIdentity(ctx, id, core.IdentityInput{Name: "周十", IDType: "01",
			IDNumber: testenv.RandomIDNumber("01"), PrivacyConsent: true, ConsentVersion: "v1"})
		if tc.wantCode != "" {
			if de, ok := domain.AsError(err); !ok || de.Code != tc.wantCode {
				t.Fatalf("case %d: err = %v, want %s", i, err, tc.wantCode)
			}
			continue
		}
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if me.VerifyState != tc.wantState || me.VerifyStateName != core.VerifyStateName(tc.wantState) {
			t.Fatalf("case %d: state %s (%s), want %s", i, me.VerifyState, me.VerifyStateName, tc.wantState)
		}
	}
	if core.VerifyStateName(core.VerifyVerified) != "已核验" || core.VerifyStateName(core.VerifyUnverified) != "未核验" {
		t.Fatal("state names")
	}
}
