package handlers_test

import (
	"net/http"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/wechat/fake"
)

// faceStart opens a face verification session; body nil verifies the bound identity.
func faceStart(t *testing.T, c *testenv.Client, body any) (core.FaceStart, *testenv.Response) {
	t.Helper()
	res := c.Do(t, http.MethodPost, "/api/v1/me/face-verification", body)
	var fs core.FaceStart
	if res.Status == http.StatusOK {
		res.JSON(t, &fs)
		if fs.VerifyID == "" {
			t.Fatalf("no verify_id in %s", res.Body)
		}
	}
	return fs, res
}

// faceFinish posts the verify id back for the true result.
func faceFinish(t *testing.T, c *testenv.Client, verifyID string) (core.FaceFinish, *testenv.Response) {
	t.Helper()
	res := c.Do(t, http.MethodPost, "/api/v1/me/face-verification/result", map[string]string{"verify_id": verifyID})
	var ff core.FaceFinish
	if res.Status == http.StatusOK {
		res.JSON(t, &ff)
	}
	return ff, res
}

// faceVerify runs a whole verification whose scan ends with verifyRet.
func faceVerify(t *testing.T, c *testenv.Client, body any, verifyRet int) core.FaceFinish {
	t.Helper()
	fs, res := faceStart(t, c, body)
	if res.Status != http.StatusOK {
		t.Fatalf("start: %d %s", res.Status, res.Body)
	}
	if !testenv.WeChat(t).SetFaceResult(fs.VerifyID, verifyRet) {
		t.Fatalf("the fake has no session %s", fs.VerifyID)
	}
	ff, res := faceFinish(t, c, fs.VerifyID)
	if res.Status != http.StatusOK {
		t.Fatalf("finish: %d %s", res.Status, res.Body)
	}
	return ff
}

// auditCount counts audit entries of an action by a candidate.
func auditCount(t *testing.T, app *testenv.App, candidateID int64, action string) int {
	t.Helper()
	var n int
	if err := app.DB.R.Get(&n, "SELECT COUNT(*) FROM audit_log WHERE actor_kind = 'candidate' AND actor_id = ? AND action = ?",
		candidateID, action); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFaceVerificationPass(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		number := testenv.RandomIDNumber("")
		c := testenv.SignInWithIdentity(t, app, "张三", domain.IDTypeResidentCard, number)
		if me := getMe(t, c); me.VerifyState != core.VerifyUnverified || me.IdentityLocked {
			t.Fatalf("before: %+v", me)
		}
		ff := faceVerify(t, c, nil, fake.FacePass)
		if ff.Result != "passed" || ff.Claimed || ff.Me == nil || ff.Me.VerifyState != core.VerifyVerified {
			t.Fatalf("finish: %+v", ff)
		}
		me := getMe(t, c)
		if me.VerifyState != core.VerifyVerified || me.VerifyStateName != "已核验" || !me.IdentityLocked ||
			me.VerifyMethod != "wechat_face" || me.VerifiedAt == nil || me.IDNumber != number {
			t.Fatalf("GET /me after a pass: %+v", me)
		}
		// Locked: no other name or number, but the same identity again is fine.
		wantError(t, putIdentity(t, c, "张三丰", domain.IDTypeResidentCard, number), http.StatusConflict, "identity_locked")
		if res := putIdentity(t, c, "张三", domain.IDTypeResidentCard, number); res.Status != http.StatusOK {
			t.Fatalf("same identity again: %d %s", res.Status, res.Body)
		}
		if getMe(t, c).VerifyState != core.VerifyVerified {
			t.Fatal("binding the same identity again lost the verification")
		}
		_, res := faceStart(t, c, nil)
		wantError(t, res, http.StatusConflict, "already_verified")
		if n := auditCount(t, app, c.CandidateID, core.AuditIdentityVerified); n != 1 {
			t.Fatalf("%d identity.verified audit entries, want 1", n)
		}
		// Nothing of the face and no ID number in the session row or the audit.
		var leaks int
		app.DB.R.Get(&leaks, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE ?", "%"+number+"%")
		if leaks != 0 {
			t.Fatal("the ID number reached the audit log")
		}
	})
}

func TestFaceVerificationNotPassed(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		c := testenv.SignInWithIdentity(t, app, "张三", domain.IDTypeResidentCard, testenv.RandomIDNumber(""))
		for _, tt := range []struct {
			ret    int
			result string
		}{{fake.FaceNoMatch, "failed"}, {fake.FaceIDMismatch, "mismatch"}, {0, "not_done"}} {
			fs, res := faceStart(t, c, nil)
			if res.Status != http.StatusOK {
				t.Fatalf("start: %d %s", res.Status, res.Body)
			}
			if tt.ret != 0 {
				testenv.WeChat(t).SetFaceResult(fs.VerifyID, tt.ret)
			}
			ff, res := faceFinish(t, c, fs.VerifyID)
			if res.Status != http.StatusOK || ff.Result != tt.result || ff.Message == "" || ff.Me.VerifyState != core.VerifyUnverified {
				t.Fatalf("verify_ret %d: %d %s", tt.ret, res.Status, res.Body)
			}
		}
		if getMe(t, c).VerifyState != core.VerifyUnverified {
			t.Fatal("a failed verification verified the identity")
		}
		if n := auditCount(t, app, c.CandidateID, core.AuditFaceFailed); n != 3 {
			t.Fatalf("%d failed attempts audited, want 3", n)
		}
	})
}

func TestFaceVerificationBadIDs(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		c := testenv.SignInWithIdentity(t, app, "张三", domain.IDTypeResidentCard, testenv.RandomIDNumber(""))
		other := testenv.SignInWithIdentity(t, app, "李四", domain.IDTypeResidentCard, testenv.RandomIDNumber(""))

		_, res := faceFinish(t, c, "fv_no-such-session")
		wantError(t, res, http.StatusNotFound, "verify_id_invalid")
		_, res = faceFinish(t, c, "")
		wantError(t, res, http.StatusBadRequest, "verify_id_required")

		// Someone else's session is unknown to this candidate.
		fs, _ := faceStart(t, other, nil)
		_, res = faceFinish(t, c, fs.VerifyID)
		wantError(t, res, http.StatusNotFound, "verify_id_invalid")

		// Reused: a session finishes once, whatever its result.
		testenv.WeChat(t).SetFaceResult(fs.VerifyID, fake.FaceNoMatch)
		if ff, res := faceFinish(t, other, fs.VerifyID); res.Status != http.StatusOK || ff.Result != "failed" {
			t.Fatalf("first finish: %d %s", res.Status, res.Body)
		}
		_, res = faceFinish(t, other, fs.VerifyID)
		wantError(t, res, http.StatusConflict, "verify_id_used")

		// Expired: ten minutes later the session is gone.
		fs, _ = faceStart(t, c, nil)
		testenv.WeChat(t).SetFaceResult(fs.VerifyID, fake.FacePass)
		app.Clock.Set(time.Now().Add(11 * time.Minute))
		_, res = faceFinish(t, c, fs.VerifyID)
		wantError(t, res, http.StatusBadRequest, "verify_id_expired")
		app.Clock.Set(time.Time{})
		_, res = faceFinish(t, c, fs.VerifyID)
		wantError(t, res, http.StatusConflict, "verify_id_used")
		if getMe(t, c).VerifyState != core.VerifyUnverified {
			t.Fatal("an expired session verified the identity")
		}

		// Other documents cannot be verified by face.
		hk := testenv.SignIn(t, app)
		_, res = faceStart(t, hk, testenv.IdentityBody("陈大文", "04", testenv.RandomIDNumber("04")))
		wantError(t, res, http.StatusBadRequest, "face_id_type_unsupported")
		// No identity, no body.
		_, res = faceStart(t, hk, nil)
		wantError(t, res, http.StatusConflict, "identity_required")
	})
}

func TestFaceVerificationDailyLimits(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		number := testenv.RandomIDNumber("")
		c := testenv.SignInWithIdentity(t, app, "张三", domain.IDTypeResidentCard, number)
		for i := 0; i < core.FaceSessionsPerDay; i++ {
			if _, res := faceStart(t, c, nil); res.Status != http.StatusOK {
				t.Fatalf("session %d: %d %s", i+1, res.Status, res.Body)
			}
		}
		_, res := faceStart(t, c, nil)
		wantError(t, res, http.StatusTooManyRequests, "face_rate_limited")
		if res.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		// Per ID number too: other accounts trying the same number share its limit.
		d := testenv.SignIn(t, app)
		_, res = faceStart(t, d, testenv.IdentityBody("张三", domain.IDTypeResidentCard, number))
		wantError(t, res, http.StatusTooManyRequests, "face_rate_limited")
		// The next day it opens again.
		app.Clock.Set(time.Now().Add(25 * time.Hour))
		if _, res := faceStart(t, c, nil); res.Status != http.StatusOK {
			t.Fatalf("next day: %d %s", res.Status, res.Body)
		}
	})
}
