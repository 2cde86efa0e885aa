package handlers_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/internal/testenv"
)

// pdfOf is a PDF of about n bytes, its last byte tag making each content unique.
func pdfOf(n int, tag byte) []byte {
	b := append(append([]byte{}, samplePDF...), bytes.Repeat([]byte("%"), n)...)
	return append(b, tag)
}

// One candidate's attachments, over all registrations, stop at the total.
func TestAttachmentTotalPerCandidate(t *testing.T) {
	testenv.ForEachEngineAndStore(t, func(t *testing.T, dsn string, blobEnv map[string]string) {
		e := newRegEnv(t, dsn, testenv.WithEnv(blobEnv, map[string]string{"SKILLCERT_MAX_CANDIDATE_MB": "1"}))
		_, codeA := e.plan(t, planSpec{})
		_, codeB := e.plan(t, planSpec{})
		c := e.candidate(t)
		a, b := e.draft(t, c, codeA), e.draft(t, c, codeB)
		for i, reg := range []int64{a.ID, b.ID} {
			if res := upload(t, c, reg, "diploma", "毕业证.pdf", pdfOf(400<<10, byte(i))); res.Status != http.StatusCreated {
				t.Fatalf("upload %d: %d %s", i, res.Status, res.Body)
			}
		}
		res := upload(t, c, b.ID, "diploma", "毕业证.pdf", pdfOf(300<<10, 9))
		wantError(t, res, http.StatusConflict, "attachment_quota")
		if !strings.Contains(string(res.Body), "附件总大小已达上限（1MB）") {
			t.Fatalf("message: %s", res.Body)
		}
		// Another candidate is not affected.
		o := e.candidate(t)
		od := e.draft(t, o, codeA)
		if res := upload(t, o, od.ID, "diploma", "毕业证.pdf", pdfOf(300<<10, 9)); res.Status != http.StatusCreated {
			t.Fatalf("another candidate: %d %s", res.Status, res.Body)
		}
	})
}

// Below the free-space floor every upload is refused with 507 and a message.
func TestUploadRefusedWhenDiskLow(t *testing.T) {
	e := newRegEnv(t, testenv.NewDSN(t, "sqlite"), map[string]string{"SKILLCERT_MIN_FREE_DISK_MB": "1000000000000"})
	_, code := e.plan(t, planSpec{})
	c := e.candidate(t)
	d := e.draft(t, c, code)
	res := upload(t, c, d.ID, "diploma", "毕业证.pdf", samplePDF)
	wantError(t, res, http.StatusInsufficientStorage, "insufficient_storage")
	if !strings.Contains(string(res.Body), "服务器存储空间不足") {
		t.Fatalf("message: %s", res.Body)
	}
}

// The files of a registration cancelled before it was ever approved go after
// the retention time (the registration stays, as the record); a live
// registration keeps its files.
func TestCancelledRegistrationFilesArePurged(t *testing.T) {
	testenv.ForEachEngineAndStore(t, func(t *testing.T, dsn string, blobEnv map[string]string) {
		e := newRegEnv(t, dsn, blobEnv)
		ctx := context.Background()
		c := e.candidate(t)
		_, codeA := e.plan(t, planSpec{})
		_, codeB := e.plan(t, planSpec{})
		gone, kept := e.draft(t, c, codeA), e.draft(t, c, codeB)
		for i, reg := range []int64{gone.ID, kept.ID} {
			if res := upload(t, c, reg, "diploma", "毕业证.pdf", pdfOf(10, byte(i))); res.Status != http.StatusCreated {
				t.Fatalf("upload: %d %s", res.Status, res.Body)
			}
		}
		if res := c.Do(t, http.MethodPost, regPath(gone.ID, "/cancel"), nil); res.Status != http.StatusOK {
			t.Fatalf("cancel: %d %s", res.Status, res.Body)
		}
		files := func(reg int64) int {
			var n int
			if err := e.app.DB.R.Get(&n, "SELECT COUNT(*) FROM attachments WHERE registration_id = ?", reg); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n, err := e.app.Core.PurgeCancelledFiles(ctx, 0); err != nil || n != 0 || files(gone.ID) != 1 {
			t.Fatalf("early purge: %d %v", n, err)
		}
		e.app.Clock.Set(regNow.Add(core.CancelledRetention + time.Hour))
		if n, err := e.app.Core.PurgeCancelledFiles(ctx, 0); err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
		if files(gone.ID) != 0 || files(kept.ID) != 1 {
			t.Fatalf("files left: cancelled %d, live %d", files(gone.ID), files(kept.ID))
		}
		if n := len(e.app.BlobKeys(t)); n != 1 { // the bytes too, in the folder or the bucket
			t.Fatalf("%d blobs stored, want the live registration's one", n)
		}
		var status string
		if err := e.app.DB.R.Get(&status, "SELECT status FROM registrations WHERE id = ?", gone.ID); err != nil || status != "cancelled" {
			t.Fatalf("the cancelled registration: %q %v", status, err)
		}
	})
}
