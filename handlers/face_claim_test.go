package handlers_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/wechat/fake"
)

// regStatus reads a registration's status and owner.
func regStatus(t *testing.T, app *testenv.App, id int64) (string, int64) {
	t.Helper()
	var r struct {
		Status      string `db:"status"`
		CandidateID int64  `db:"candidate_id"`
	}
	if err := app.DB.R.Get(&r, "SELECT status, candidate_id FROM registrations WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	return r.Status, r.CandidateID
}

func flagCount(t *testing.T, app *testenv.App, regID int64) int {
	t.Helper()
	var n int
	if err := app.DB.R.Get(&n, "SELECT COUNT(*) FROM registration_flags WHERE registration_id = ? AND kind = ?",
		regID, core.RegistrationFlagIDClaimed); err != nil {
		t.Fatal(err)
	}
	return n
}

func outboxKinds(t *testing.T, app *testenv.App, candidateID int64, kind string) int {
	t.Helper()
	var n int
	if err := app.DB.R.Get(&n, "SELECT COUNT(*) FROM outbox WHERE candidate_id = ? AND event_kind = ?", candidateID, kind); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFaceClaimTakenIDNumber: someone bound the owner's number; the owner proves
// by face that it is theirs ("这是我的证件号码") and gets it back.
func TestFaceClaimTakenIDNumber(t *testing.T) {
	for _, tt := range []struct {
		name      string
		thiefName string
		moved     bool
	}{{"different name: flagged", "李四", false}, {"same name: moved", "张三", true}} {
		t.Run(tt.name, func(t *testing.T) {
			testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
				e := newRegEnv(t, dsn, nil)
				number := testenv.RandomIDNumber("")
				_, code1 := e.plan(t, planSpec{})
				_, code2 := e.plan(t, planSpec{})
				thief := testenv.SignInWithIdentity(t, e.app, tt.thiefName, domain.IDTypeResidentCard, number)
				draft := e.draft(t, thief, code1)
				sub := e.draft(t, thief, code2)
				ready(t, thief, sub.ID, "work_years")
				regOK(t, submit(t, thief, sub.ID), http.StatusOK)

				owner := testenv.SignIn(t, e.app)
				wantError(t, putIdentity(t, owner, "张三", domain.IDTypeResidentCard, number), http.StatusConflict, "id_number_taken")
				fs, res := faceStart(t, owner, testenv.IdentityBody("张三", domain.IDTypeResidentCard, number))
				if res.Status != http.StatusOK || !fs.Claim {
					t.Fatalf("start claim: %d %s", res.Status, res.Body)
				}
				testenv.WeChat(t).SetFaceResult(fs.VerifyID, fake.FacePass)
				ff, res := faceFinish(t, owner, fs.VerifyID)
				if res.Status != http.StatusOK || ff.Result != "passed" || !ff.Claimed {
					t.Fatalf("finish claim: %d %s", res.Status, res.Body)
				}
				me := getMe(t, owner)
				if me.IDNumber != number || me.Name != "张三" || me.VerifyState != core.VerifyVerified {
					t.Fatalf("owner after the claim: %+v", me)
				}
				if tm := getMe(t, thief); tm.HasIdentity || tm.IDNumber != "" || tm.VerifyState != core.VerifyUnverified {
					t.Fatalf("the other account keeps the number: %+v", tm)
				}
				if st, _ := regStatus(t, e.app, draft.ID); st != "cancelled" {
					t.Fatalf("the other account's draft is %s", st)
				}
				st, holder := regStatus(t, e.app, sub.ID)
				if st != "submitted" {
					t.Fatalf("submitted registration became %s", st)
				}
				if tt.moved && (holder != owner.CandidateID || flagCount(t, e.app, sub.ID) != 0) {
					t.Fatalf("same name: registration held by %d, flags %d", holder, flagCount(t, e.app, sub.ID))
				}
				if !tt.moved && (holder != thief.CandidateID || flagCount(t, e.app, sub.ID) != 1) {
					t.Fatalf("other name: registration held by %d, flags %d", holder, flagCount(t, e.app, sub.ID))
				}
				if n := outboxKinds(t, e.app, thief.CandidateID, domain.EventIdentityReleased); n != 1 {
					t.Fatalf("%d release notices to the other account, want 1", n)
				}
				for _, a := range []string{core.AuditFaceStart, core.AuditIdentityReleased, core.AuditIdentityVerified} {
					if auditCount(t, e.app, owner.CandidateID, a) != 1 {
						t.Errorf("no %s audit entry", a)
					}
				}
				want := core.AuditRegFlagged
				if tt.moved {
					want = core.AuditRegMoved
				}
				if auditCount(t, e.app, owner.CandidateID, want) != 1 {
					t.Errorf("no %s audit entry", want)
				}

				// The other account can neither bind it back (its flagged registration
				// still locks it, or the number is taken) nor claim it from a verified owner.
				wantBind := "id_number_taken"
				if !tt.moved {
					wantBind = "identity_locked"
				}
				wantError(t, putIdentity(t, thief, tt.thiefName, domain.IDTypeResidentCard, number), http.StatusConflict, wantBind)
				_, res = faceStart(t, thief, testenv.IdentityBody(tt.thiefName, domain.IDTypeResidentCard, number))
				wantError(t, res, http.StatusConflict, "id_number_verified")
			})
		})
	}
}

// TestFaceClaimConcurrent: several accounts pass face verification for the same
// number at once; exactly one ends up owning it.
func TestFaceClaimConcurrent(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		number := testenv.RandomIDNumber("")
		holder := testenv.SignInWithIdentity(t, app, "李四", domain.IDTypeResidentCard, number)
		const n = 4
		clients := make([]*testenv.Client, n)
		ids := make([]string, n)
		for i := range clients {
			clients[i] = testenv.SignIn(t, app)
			fs, res := faceStart(t, clients[i], testenv.IdentityBody("张三", domain.IDTypeResidentCard, number))
			if res.Status != http.StatusOK {
				t.Fatalf("start %d: %d %s", i, res.Status, res.Body)
			}
			testenv.WeChat(t).SetFaceResult(fs.VerifyID, fake.FacePass)
			ids[i] = fs.VerifyID
		}
		var wg sync.WaitGroup
		results := make([]*testenv.Response, n)
		for i := range clients {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				results[i] = clients[i].Do(t, http.MethodPost, "/api/v1/me/face-verification/result",
					map[string]string{"verify_id": ids[i]})
			}(i)
		}
		wg.Wait()
		winners := 0
		for i, res := range results {
			switch {
			case res.Status == http.StatusOK:
				winners++
			case res.Status == http.StatusConflict && res.ErrorCode() == "id_number_verified":
			default:
				t.Fatalf("claim %d: %d %s", i, res.Status, res.Body)
			}
		}
		if winners != 1 {
			t.Fatalf("%d claims won, want exactly 1", winners)
		}
		var owners int
		idx := app.Core.IDNumberIndex(number)
		if err := app.DB.R.GetContext(context.Background(), &owners, "SELECT COUNT(*) FROM candidates WHERE id_number_idx = ?", idx); err != nil {
			t.Fatal(err)
		}
		if owners != 1 || getMe(t, holder).HasIdentity {
			t.Fatalf("%d candidates hold the number after the race", owners)
		}
		if outboxKinds(t, app, holder.CandidateID, domain.EventIdentityReleased) != 1 {
			t.Fatal("the former holder was not told exactly once")
		}
	})
}

// TestSubmitRequiresVerifiedIdentity: a plan (console setting) or the whole
// deployment (SKILLCERT_REQUIRE_VERIFIED) can require a verified identity.
func TestSubmitRequiresVerifiedIdentity(t *testing.T) {
	t.Run("plan", func(t *testing.T) {
		testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
			e := newRegEnv(t, dsn, nil)
			p, code := e.plan(t, planSpec{})
			free, freeCode := e.plan(t, planSpec{})
			inst := e.app.CreateStaff(t, "inst1", domain.RoleInstitution, e.inst.ID, "")
			if err := e.app.Core.SetPlanRequireVerified(context.Background(), &inst, p.ID, true); err != nil {
				t.Fatal(err)
			}
			c := e.candidate(t)
			r := e.draft(t, c, code)
			ready(t, c, r.ID, "work_years")
			res := submit(t, c, r.ID)
			wantError(t, res, http.StatusConflict, "identity_unverified")
			if e.seatsTaken(t, p.ID) != 0 {
				t.Fatal("a refused submit kept its seat")
			}
			// Another plan without the setting takes the same candidate.
			r2 := e.draft(t, c, freeCode)
			ready(t, c, r2.ID, "work_years")
			regOK(t, submit(t, c, r2.ID), http.StatusOK)
			_ = free
			// Verify by face: the submit goes through.
			if ff := faceVerify(t, c, nil, fake.FacePass); ff.Result != "passed" {
				t.Fatalf("verify: %+v", ff)
			}
			regOK(t, submit(t, c, r.ID), http.StatusOK)
		})
	})
	t.Run("deployment", func(t *testing.T) {
		testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
			e := newRegEnv(t, dsn, map[string]string{"SKILLCERT_REQUIRE_VERIFIED": "true"})
			_, code := e.plan(t, planSpec{})
			c := e.candidate(t)
			r := e.draft(t, c, code)
			ready(t, c, r.ID, "work_years")
			wantError(t, submit(t, c, r.ID), http.StatusConflict, "identity_unverified")
			faceVerify(t, c, nil, fake.FacePass)
			regOK(t, submit(t, c, r.ID), http.StatusOK)
		})
	})
}
