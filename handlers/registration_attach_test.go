package handlers_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
)

func attachmentOK(t *testing.T, res *testenv.Response) core.AttachmentView {
	t.Helper()
	if res.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", res.Status, res.Body)
	}
	var a core.AttachmentView
	res.JSON(t, &a)
	return a
}

// blobFiles counts the attachment blobs in the server's store (folder or bucket).
func blobFiles(t *testing.T, e *regEnv) int {
	t.Helper()
	return len(e.app.BlobKeys(t))
}

func TestRegistrationAttachments(t *testing.T) {
	testenv.ForEachEngineAndStore(t, func(t *testing.T, dsn string, blobEnv map[string]string) {
		e := newRegEnv(t, dsn, testenv.WithEnv(blobEnv, map[string]string{"SKILLCERT_MAX_UPLOAD_MB": "1"}))
		_, code := e.plan(t, planSpec{})
		c := e.candidate(t)
		d := e.draft(t, c, code)
		regOK(t, put(t, c, d.ID, map[string]any{"basis": domain.BasisWorkYears, "education": "21"}), http.StatusOK)

		// Each accepted type, recognised by content; names cleaned, extensions fixed.
		cases := []struct {
			name    string
			content []byte
			want    string
			ctype   string
		}{
			{"毕业证.pdf", samplePDF, "毕业证.pdf", "application/pdf"},
			{`C:\fakepath\学信网备案表.PNG`, samplePNG, "学信网备案表.png", "image/png"},
			{"社保证明.jpeg", sampleJPG, "社保证明.jpg", "image/jpeg"},
			{"材料.zip", sampleZIP, "材料.zip", "application/zip"},
			{"证书.pdf", samplePNG, "证书.png", "image/png"},
			{"../../etc/passwd", samplePDF, "passwd.pdf", "application/pdf"},
		}
		items := []string{"diploma", "chsi_record", "social_insurance", "work_proof", "labor_contract", "diploma"}
		for i, tc := range cases {
			a := attachmentOK(t, upload(t, c, d.ID, items[i], tc.name, tc.content))
			if a.FileName != tc.want || a.ContentType != tc.ctype || a.Size != int64(len(tc.content)) || a.Seq != i+1 ||
				a.Item != items[i] || a.ItemName == "" || a.UploadedAt.IsZero() {
				t.Fatalf("upload %q: %+v", tc.name, a)
			}
		}
		// One file for the same content: two pairs share their bytes.
		if n := blobFiles(t, e); n != 4 {
			t.Fatalf("%d blob files, want 4", n)
		}

		// Refused: an executable whatever its name, empty files, no or unknown items, no file.
		wantError(t, upload(t, c, d.ID, "diploma", "毕业证.pdf", sampleEXE), http.StatusBadRequest, "file_type")
		wantError(t, upload(t, c, d.ID, "diploma", "a.pdf", nil), http.StatusBadRequest, "file_empty")
		wantError(t, upload(t, c, d.ID, "", "a.pdf", samplePDF), http.StatusBadRequest, "item_required")
		wantError(t, upload(t, c, d.ID, "title_cert", "a.pdf", samplePDF), http.StatusBadRequest, "item_invalid")
		wantError(t, c.Do(t, http.MethodPost, regPath(d.ID, "/attachments"), map[string]string{"file": "x"}),
			http.StatusBadRequest, "not_multipart")
		// Size: 1 MB passes, one byte more does not, and a far larger body is cut off.
		big := append(append([]byte{}, samplePDF...), bytes.Repeat([]byte("x"), (1<<20)-len(samplePDF))...)
		attachmentOK(t, upload(t, c, d.ID, "work_proof", "大文件.pdf", big))
		wantError(t, upload(t, c, d.ID, "work_proof", "大文件.pdf", append(big, 'x')), http.StatusRequestEntityTooLarge, "file_too_large")
		wantError(t, upload(t, c, d.ID, "work_proof", "大文件.pdf", bytes.Repeat(big, 3)), http.StatusRequestEntityTooLarge, "file_too_large")

		// The list, in upload order with 序号.
		var list struct{ Items []core.AttachmentView }
		c.Get(t, regPath(d.ID, "/attachments")).JSON(t, &list)
		if len(list.Items) != 7 || list.Items[0].FileName != "毕业证.pdf" || list.Items[6].Seq != 7 {
			t.Fatalf("list: %+v", list.Items)
		}
		// The checklist sees them.
		var cl core.Checklist
		c.Get(t, regPath(d.ID, "/checklist")).JSON(t, &cl)
		for _, it := range cl.Items {
			if it.Satisfied != (it.Key != "") {
				t.Fatalf("checklist: %+v", cl.Items)
			}
		}

		// Download: the bytes, the type, the name.
		first := list.Items[1]
		res := c.Get(t, regPath(d.ID, fmt.Sprintf("/attachments/%d", first.ID)))
		if res.Status != http.StatusOK || !bytes.Equal(res.Body, samplePNG) || res.Header.Get("Content-Type") != "image/png" ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "filename*=utf-8''%E5%AD%A6") {
			t.Fatalf("download: %d %v", res.Status, res.Header)
		}
		// Another candidate: 404 through their own registration or ours.
		other := e.candidate(t)
		od := e.draft(t, other, code)
		wantError(t, other.Get(t, regPath(d.ID, fmt.Sprintf("/attachments/%d", first.ID))), http.StatusNotFound, "registration_not_found")
		wantError(t, other.Get(t, regPath(od.ID, fmt.Sprintf("/attachments/%d", first.ID))), http.StatusNotFound, "attachment_not_found")
		wantError(t, other.Do(t, http.MethodDelete, regPath(d.ID, fmt.Sprintf("/attachments/%d", first.ID)), nil), http.StatusNotFound, "registration_not_found")
		wantError(t, upload(t, other, d.ID, "diploma", "a.pdf", samplePDF), http.StatusNotFound, "registration_not_found")

		// At most 10 a registration.
		for i := 0; i < 3; i++ {
			attachmentOK(t, upload(t, c, d.ID, "labor_contract", fmt.Sprintf("合同%d.pdf", i), append(samplePDF, byte(i))))
		}
		wantError(t, upload(t, c, d.ID, "labor_contract", "合同.pdf", append(samplePDF, 'z')), http.StatusConflict, "too_many_attachments")

		// Delete: the row goes; shared bytes stay until their last row goes.
		before := blobFiles(t, e)
		del := func(aid int64) {
			t.Helper()
			if res := c.Do(t, http.MethodDelete, regPath(d.ID, fmt.Sprintf("/attachments/%d", aid)), nil); res.Status != http.StatusNoContent {
				t.Fatalf("delete: %d %s", res.Status, res.Body)
			}
		}
		del(list.Items[0].ID) // shares its bytes with list.Items[5]
		if blobFiles(t, e) != before {
			t.Fatal("shared bytes removed with one of their rows")
		}
		if res := c.Get(t, regPath(d.ID, fmt.Sprintf("/attachments/%d", list.Items[5].ID))); res.Status != http.StatusOK || !bytes.Equal(res.Body, samplePDF) {
			t.Fatalf("the other row's download: %d", res.Status)
		}
		del(list.Items[5].ID)
		if blobFiles(t, e) != before-1 {
			t.Fatal("bytes left after their last row went")
		}
		wantError(t, c.Do(t, http.MethodDelete, regPath(d.ID, fmt.Sprintf("/attachments/%d", list.Items[5].ID)), nil),
			http.StatusNotFound, "attachment_not_found")

		// Submitted: no more uploads or deletes; returned: both again.
		ready(t, c, d.ID, domain.BasisWorkYears)
		regOK(t, submit(t, c, d.ID), http.StatusOK)
		wantError(t, upload(t, c, d.ID, "work_proof", "a.pdf", append(samplePDF, 'q')), http.StatusConflict, "not_editable")
		wantError(t, c.Do(t, http.MethodDelete, regPath(d.ID, fmt.Sprintf("/attachments/%d", list.Items[1].ID)), nil),
			http.StatusConflict, "not_editable")
		if _, err := e.app.DB.W.Exec("UPDATE registrations SET status = 'returned' WHERE id = ?", d.ID); err != nil {
			t.Fatal(err)
		}
		del(list.Items[1].ID)
	})
}

// TestRegistrationAttachmentsRace uploads more files at once than a registration
// may hold: the limit holds, and every stored file has its row and every row its file.
func TestRegistrationAttachmentsRace(t *testing.T) {
	testenv.ForEachEngineAndStore(t, func(t *testing.T, dsn string, blobEnv map[string]string) {
		e := newRegEnv(t, dsn, blobEnv)
		_, code := e.plan(t, planSpec{})
		c := e.candidate(t)
		d := e.draft(t, c, code)
		for i := 0; i < 7; i++ {
			attachmentOK(t, upload(t, c, d.ID, "diploma", "a.pdf", append(samplePDF, byte(i))))
		}
		var wg sync.WaitGroup
		codes := make([]int, 8)
		for i := range codes {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				codes[i] = upload(t, c, d.ID, "diploma", "b.pdf", append(samplePDF, 'r', byte(i))).Status
			}(i)
		}
		wg.Wait()
		created := 0
		for _, s := range codes {
			switch s {
			case http.StatusCreated:
				created++
			case http.StatusConflict:
			default:
				t.Fatalf("statuses %v", codes)
			}
		}
		var rows int
		if err := e.app.DB.R.Get(&rows, "SELECT COUNT(*) FROM attachments WHERE registration_id = ?", d.ID); err != nil {
			t.Fatal(err)
		}
		if created != 3 || rows != 10 || blobFiles(t, e) != 10 {
			t.Fatalf("created %d, rows %d, files %d", created, rows, blobFiles(t, e))
		}
	})
}
