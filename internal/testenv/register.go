package testenv

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"testing"
)

// SamplePDF is the start of a PDF file: enough for the upload's type check.
var SamplePDF = append([]byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), bytes.Repeat([]byte("x"), 200)...)

// Registrant is a candidate who registers through the API in a test.
type Registrant struct {
	Name     string
	IDNumber string // a valid 居民身份证 number; RandomIDNumber("") when empty
	Basis    string // 报考依据; work_years when empty
	Employer string // 所在单位; 广州某某科技有限公司 when empty
}

// Register walks a candidate through registration by code as the mini-program
// does (sign in, bind the identity, create the draft, fill the form, upload the
// required attachments as PDFs, submit) and returns the registration id.
func Register(t testing.TB, app *App, code string, r Registrant) int64 {
	t.Helper()
	c, id := ReadyToSubmit(t, app, code, r)
	if res := c.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/registrations/%d/submit", id), nil); res.Status != http.StatusOK {
		t.Fatalf("submit: %d %s", res.Status, res.Body)
	}
	return id
}

// ReadyToSubmit is Register up to the submit: it returns the candidate's client
// and the draft's id, complete and ready to submit.
func ReadyToSubmit(t testing.TB, app *App, code string, r Registrant) (*Client, int64) {
	t.Helper()
	if r.IDNumber == "" {
		r.IDNumber = RandomIDNumber("")
	}
	if r.Basis == "" {
		r.Basis = "work_years"
	}
	if r.Employer == "" {
		r.Employer = "广州某某科技有限公司"
	}
	c := SignInWithIdentity(t, app, r.Name, "01", r.IDNumber)
	var reg struct {
		ID int64 `json:"id"`
	}
	res := c.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": code})
	if res.Status != http.StatusCreated {
		t.Fatalf("create draft: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &reg)
	path := fmt.Sprintf("/api/v1/registrations/%d", reg.ID)
	res = c.Do(t, http.MethodPut, path, map[string]any{"basis": r.Basis, "education": "21", "years_in_occupation": 6,
		"candidate_source": "employee", "labor_relation": "employee", "phone": "13800138000",
		"employer": r.Employer, "commitment_accepted": true})
	if res.Status != http.StatusOK {
		t.Fatalf("save form: %d %s", res.Status, res.Body)
	}
	var cl struct {
		Items []struct {
			Key      string `json:"key"`
			Required bool   `json:"required"`
		} `json:"items"`
	}
	c.Get(t, path+"/checklist").JSON(t, &cl)
	for _, it := range cl.Items {
		if it.Required {
			UploadAttachment(t, c, reg.ID, it.Key, it.Key+".pdf", SamplePDF)
		}
	}
	return c, reg.ID
}

// UploadAttachment posts one attachment of a registration and fails the test
// unless it is stored.
func UploadAttachment(t testing.TB, c *Client, regID int64, item, name string, content []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("item", item)
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	w.Close()
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/registrations/%d/attachments", c.Base, regID), &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	if res := c.Send(t, req); res.Status != http.StatusCreated {
		t.Fatalf("upload %s: %d %s", item, res.Status, res.Body)
	}
}
