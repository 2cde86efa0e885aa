package wechat_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/wechat"
	"skillcert/wechat/fake"
)

// clock is a settable time for the fake.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestFaceVerification(t *testing.T) {
	clk := &clock{t: time.Now()}
	e := newEnv(t, fake.Options{Now: clk.now})
	ctx := context.Background()
	fv := wechat.FaceVerifier{C: e.client}
	check := func(seq string) domain.FaceCheck {
		return domain.FaceCheck{OpenID: "o-face", OutSeqNo: seq, Name: "张三", IDType: domain.IDTypeResidentCard,
			IDNumber: "11010519491231002X"}
	}
	open := func(seq string) string {
		t.Helper()
		s, err := fv.StartFace(ctx, check(seq))
		if err != nil {
			t.Fatalf("getverifyid: %v", err)
		}
		if s.VerifyID == "" || s.ExpiresIn != 10*time.Minute {
			t.Fatalf("session %+v, want an id valid 10 minutes", s)
		}
		return s.VerifyID
	}
	outcome := func(seq, id string) domain.FaceOutcome {
		t.Helper()
		o, err := fv.FaceOutcome(ctx, check(seq), id)
		if err != nil {
			t.Fatalf("queryverifyinfo: %v", err)
		}
		return o
	}

	// Pass, then the id is used up.
	id := open("seq-pass-1")
	e.fake.SetFaceResult(id, fake.FacePass)
	if o := outcome("seq-pass-1", id); o.Result != domain.FacePassed || o.Code != fake.FacePass {
		t.Fatalf("pass: %+v", o)
	}
	if o := outcome("seq-pass-1", id); o.Result != domain.FaceInvalid || o.Code != wechat.ErrcodeInvalidVerifyID {
		t.Fatalf("reused id: %+v", o)
	}
	// Fail and name/ID mismatch.
	for seq, tc := range map[string]struct {
		ret  int
		want domain.FaceResult
	}{"seq-fail-1": {fake.FaceNoMatch, domain.FaceFailed}, "seq-mism-1": {fake.FaceIDMismatch, domain.FaceMismatch}, "seq-none-1": {0, domain.FaceNotDone}} {
		id := open(seq)
		if tc.ret != 0 {
			e.fake.SetFaceResult(id, tc.ret)
		}
		if o := outcome(seq, id); o.Result != tc.want {
			t.Fatalf("verify_ret %d: %+v, want %s", tc.ret, o, tc.want)
		}
	}
	// Expired after ten minutes.
	id = open("seq-late-1")
	e.fake.SetFaceResult(id, fake.FacePass)
	clk.add(10*time.Minute + time.Second)
	if o := outcome("seq-late-1", id); o.Result != domain.FaceInvalid {
		t.Fatalf("expired: %+v", o)
	}
	// Unknown id.
	if o := outcome("seq-late-1", "fv_unknown"); o.Result != domain.FaceInvalid {
		t.Fatalf("unknown: %+v", o)
	}
	// The result is bound to the identity of the session (cert_hash) and to the
	// out_seq_no: another name is refused, and the id stays usable.
	id = open("seq-hash-1")
	e.fake.SetFaceResult(id, fake.FacePass)
	other := check("seq-hash-1")
	other.Name = "李四"
	_, err := fv.FaceOutcome(ctx, other, id)
	wantErr(t, err, wechat.ClassBadRequest, 40097)
	if o := outcome("seq-hash-1", id); o.Result != domain.FacePassed {
		t.Fatalf("after a refused query: %+v", o)
	}
	// out_seq_no is unique per app.
	_, err = fv.StartFace(ctx, check("seq-hash-1"))
	wantErr(t, err, wechat.ClassBadRequest, 40097)
	// Other documents are not sent.
	calls := e.fake.Calls(fake.PathFaceGetVerifyID)
	hk := check("seq-hk-1")
	hk.IDType = "04"
	_, err = fv.StartFace(ctx, hk)
	wantErr(t, err, wechat.ClassBadData, 0)
	if e.fake.Calls(fake.PathFaceGetVerifyID) != calls {
		t.Fatal("a non-resident document reached WeChat")
	}
	// A rejected token is fetched again once.
	e.fake.ExpireTokens()
	open("seq-token-1")
}

func TestCertHashStable(t *testing.T) {
	a := wechat.CertHash(wechat.CertInfo{CertType: "IDENTITY_CARD", CertName: "张三", CertNo: "11010519491231002X"})
	b := wechat.CertHash(wechat.CertInfo{CertType: "IDENTITY_CARD", CertName: "张三", CertNo: "110105194912310021"})
	if a == b || len(a) != 44 {
		t.Fatalf("cert hashes %q %q", a, b)
	}
}

func TestFaceResultOf(t *testing.T) {
	for ret, want := range map[int]domain.FaceResult{10000: domain.FacePassed, 10003: domain.FaceMismatch,
		10004: domain.FaceFailed, 10002: domain.FaceFailed, 90002: domain.FaceNotDone, 90018: domain.FaceNotDone, 0: domain.FaceNotDone} {
		if got := wechat.FaceResultOf(ret); got != want {
			t.Errorf("FaceResultOf(%d) = %s, want %s", ret, got, want)
		}
	}
}
