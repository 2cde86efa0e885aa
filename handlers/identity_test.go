package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
)

// identityNow is the fixed "today" of the identity tests (Beijing, 2026-03-10).
var identityNow = time.Date(2026, 3, 10, 10, 0, 0, 0, domain.Beijing)

// putIdentity sends PUT /api/v1/me/identity with the privacy consent given.
func putIdentity(t *testing.T, c *testenv.Client, name, idType, number string) *testenv.Response {
	t.Helper()
	return c.Do(t, http.MethodPut, "/api/v1/me/identity", testenv.IdentityBody(name, idType, number))
}

// getMe reads GET /api/v1/me.
func getMe(t *testing.T, c *testenv.Client) core.Me {
	t.Helper()
	res := c.Get(t, "/api/v1/me")
	if res.Status != http.StatusOK {
		t.Fatalf("GET /me: %d %s", res.Status, res.Body)
	}
	var me core.Me
	res.JSON(t, &me)
	return me
}

func TestIdentityValidDocuments(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		app.Clock.Set(identityNow)
		cases := []struct {
			idType, number, want, gender, birth string
		}{
			{"01", "11010519491231002X", "11010519491231002X", "女", "1949-12-31"},
			{"01", "440524188001010014", "440524188001010014", "男", "1880-01-01"},
			{"02", "810000199408230021", "810000199408230021", "女", "1994-08-23"},
			{"02", testenv.CompleteIDNumber("83000020010203001"), "", "男", "2001-02-03"},
			{"03", "h12345678", "H12345678", "男", "1990-05-01"},
			{"03", "M1234567890", "M1234567890", "男", "1990-05-01"},
			{"04", "12345678", "12345678", "男", "1990-05-01"},
			{"05", testenv.CompleteIDNumber("94403019850615002"), "", "女", "1985-06-15"},
			{"06", " e1234567 ", "E1234567", "男", "1990-05-01"},
		}
		for _, tc := range cases {
			if tc.want == "" {
				tc.want = tc.number
			}
			c := testenv.SignIn(t, app)
			res := putIdentity(t, c, "张三", tc.idType, tc.number)
			if res.Status != http.StatusOK {
				t.Fatalf("%s %s: %d %s", tc.idType, tc.number, res.Status, res.Body)
			}
			var put core.Me
			res.JSON(t, &put)
			if strings.Contains(string(res.Body), tc.want) {
				t.Errorf("PUT answer carries the full number: %s", res.Body)
			}
			me := getMe(t, c)
			if !me.HasIdentity || me.IDNumber != tc.want || me.IDNumberMasked != domain.MaskIDNumber(tc.want) ||
				me.IDType != tc.idType || me.IDTypeName != domain.IDTypeName(tc.idType) ||
				me.Gender != tc.gender || me.BirthDate != tc.birth || me.Name != "张三" {
				t.Errorf("%s %s: GET /me = %+v", tc.idType, tc.number, me)
			}
			if me.VerifyState != core.VerifyUnverified || me.VerifyStateName != "未核验" || me.IdentityLocked {
				t.Errorf("verification state: %+v", me)
			}
			if put.IDNumberMasked != me.IDNumberMasked || put.Gender != me.Gender {
				t.Errorf("PUT answer %+v differs from GET /me %+v", put, me)
			}
		}

		// A lower-case check character is the same number: the owner may send it again.
		c := testenv.SignInWithIdentity(t, app, "李四", "01", "44010619900101118X")
		if res := putIdentity(t, c, "李四", "01", "44010619900101118x"); res.Status != http.StatusOK {
			t.Fatalf("rebinding with a lower-case x: %d %s", res.Status, res.Body)
		}
		if me := getMe(t, c); me.IDNumber != "44010619900101118X" {
			t.Fatalf("number not normalised: %+v", me)
		}
		wantError(t, putIdentity(t, testenv.SignIn(t, app), "李四", "01", "44010619900101118x"), http.StatusConflict, "id_number_taken")
		var consents int
		if err := app.DB.R.Get(&consents, "SELECT COUNT(*) FROM consents WHERE candidate_id = ? AND kind = 'privacy' AND version = 'test-1'", c.CandidateID); err != nil || consents != 2 {
			t.Fatalf("consent records = %d, %v", consents, err)
		}
	})
}

func TestIdentityInvalid(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		app.Clock.Set(identityNow)
		c := testenv.SignIn(t, app)
		cases := []struct {
			name, idType, number, field, code string
		}{
			{"张三", "01", "110105194912310021", "id_number", "id_number_check_digit"},
			{"张三", "01", testenv.CompleteIDNumber("11010519990230001"), "id_number", "id_number_birth_date"},
			{"张三", "01", testenv.CompleteIDNumber("11010520260311001"), "id_number", "id_number_birth_future"},
			{"张三", "01", "11010519491231002", "id_number", "id_number_length"},
			{"张三", "01", "810000199408230021", "id_number", "id_number_region"},
			{"张三", "01", testenv.CompleteIDNumber("99010519491231002"), "id_number", "id_number_region"},
			{"张三", "02", "11010519491231002X", "id_number", "id_number_prefix"},
			{"张三", "02", "810000199408230022", "id_number", "id_number_check_digit"},
			{"张三", "03", "X12345678", "id_number", "id_number_format"},
			{"张三", "03", "H1234567", "id_number", "id_number_format"},
			{"张三", "04", "1234567", "id_number", "id_number_format"},
			{"张三", "04", "1234567A", "id_number", "id_number_format"},
			{"张三", "05", "11010519491231002X", "id_number", "id_number_prefix"},
			{"张三", "06", "AB12", "id_number", "id_number_format"},
			{"张三", "06", "护照12345", "id_number", "id_number_format"},
			{"张三", "07", "12345678", "id_type", "id_type_invalid"},
			{"张三", "", "12345678", "id_type", "id_type_required"},
			{"张三", "01", " ", "id_number", "id_number_required"},
			{" ", "04", "12345678", "name", "name_required"},
			{"张三1", "04", "12345678", "name", "name_invalid"},
			{strings.Repeat("张", 51), "04", "12345678", "name", "name_too_long"},
		}
		for _, tc := range cases {
			res := putIdentity(t, c, tc.name, tc.idType, tc.number)
			wantError(t, res, http.StatusBadRequest, "invalid")
			var e struct {
				Error struct {
					Field  string              `json:"field"`
					Fields []domain.FieldError `json:"fields"`
				} `json:"error"`
			}
			res.JSON(t, &e)
			if e.Error.Field != tc.field || len(e.Error.Fields) != 1 || e.Error.Fields[0].Code != tc.code || !hasHan(e.Error.Fields[0].Message) {
				t.Errorf("%q %s %q: want %s/%s, got %s", tc.name, tc.idType, tc.number, tc.field, tc.code, res.Body)
			}
		}

		// Every bad field at once, consent included.
		res := c.Do(t, http.MethodPut, "/api/v1/me/identity", map[string]any{"name": "", "id_type": "01",
			"id_number": "110105194912310021", "privacy_consent": false})
		var e struct {
			Error struct {
				Fields []domain.FieldError `json:"fields"`
			} `json:"error"`
		}
		res.JSON(t, &e)
		got := map[string]string{}
		for _, f := range e.Error.Fields {
			got[f.Field] = f.Code
		}
		if res.Status != http.StatusBadRequest || got["name"] != "name_required" ||
			got["id_number"] != "id_number_check_digit" || got["privacy_consent"] != "consent_required" {
			t.Fatalf("all fields: %d %s", res.Status, res.Body)
		}
		body := testenv.IdentityBody("张三", "04", "12345678")
		body["consent_version"] = ""
		res = c.Do(t, http.MethodPut, "/api/v1/me/identity", body)
		if res.Status != http.StatusBadRequest || res.ErrorField() != "privacy_consent" {
			t.Fatalf("missing consent version: %d %s", res.Status, res.Body)
		}
		if me := getMe(t, c); me.HasIdentity {
			t.Fatalf("an invalid identity was bound: %+v", me)
		}
		wantError(t, app.Client().Do(t, http.MethodPut, "/api/v1/me/identity", body), http.StatusUnauthorized, "unauthorized")
	})
}

func TestIdentityOneNumberOneAccount(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		n, m := testenv.RandomIDNumber("01"), testenv.RandomIDNumber("01")
		a := testenv.SignInWithIdentity(t, app, "王五", "01", n)
		b := testenv.SignIn(t, app)

		res := putIdentity(t, b, "赵六", "01", n)
		wantError(t, res, http.StatusConflict, "id_number_taken")
		for _, leak := range []string{n, domain.MaskIDNumber(n), "王五", n[len(n)-4:]} {
			if strings.Contains(string(res.Body), leak) {
				t.Fatalf("the refusal tells about the other account (%q): %s", leak, res.Body)
			}
		}
		if me := getMe(t, b); me.HasIdentity {
			t.Fatalf("B got an identity: %+v", me)
		}
		// The owner may send it again, and may move to another number, which frees n.
		if res := putIdentity(t, a, "王五", "01", n); res.Status != http.StatusOK {
			t.Fatalf("owner again: %d %s", res.Status, res.Body)
		}
		if res := putIdentity(t, a, "王五", "01", m); res.Status != http.StatusOK {
			t.Fatalf("owner changes number: %d %s", res.Status, res.Body)
		}
		if res := putIdentity(t, b, "赵六", "01", n); res.Status != http.StatusOK {
			t.Fatalf("freed number: %d %s", res.Status, res.Body)
		}
		wantError(t, putIdentity(t, a, "王五", "01", n), http.StatusConflict, "id_number_taken")
	})
}

func TestIdentityLockedBySubmittedRegistration(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		n := testenv.RandomIDNumber("01")
		c := testenv.SignInWithIdentity(t, app, "钱七", "01", n)
		regID := insertRegistration(t, app, c.CandidateID, "draft")

		// A draft does not lock the identity; a submitted registration does.
		if res := putIdentity(t, c, "钱七", "01", n); res.Status != http.StatusOK {
			t.Fatalf("with a draft: %d %s", res.Status, res.Body)
		}
		for _, status := range []string{"submitted", "approved", "returned", "rejected"} {
			setRegistrationStatus(t, app, regID, status)
			if me := getMe(t, c); !me.IdentityLocked {
				t.Fatalf("%s: identity not locked", status)
			}
			wantError(t, putIdentity(t, c, "钱七", "01", testenv.RandomIDNumber("01")), http.StatusConflict, "identity_locked")
			wantError(t, putIdentity(t, c, "钱八", "01", n), http.StatusConflict, "identity_locked")
			if res := putIdentity(t, c, "钱七", "01", n); res.Status != http.StatusOK {
				t.Fatalf("%s: unchanged identity refused: %d %s", status, res.Status, res.Body)
			}
		}
		setRegistrationStatus(t, app, regID, "cancelled")
		if me := getMe(t, c); me.IdentityLocked {
			t.Fatal("a cancelled draft locks the identity")
		}
	})
}
