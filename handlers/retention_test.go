package handlers_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/internal/testenv"
)

// TestStaleDraftsArePurged: a draft never submitted and untouched for the
// retention time goes, with its attachments and their files; a draft saved
// since, and a submitted registration, stay.
func TestStaleDraftsArePurged(t *testing.T) {
	testenv.ForEachEngineAndStore(t, func(t *testing.T, dsn string, blobEnv map[string]string) {
		e := newRegEnv(t, dsn, blobEnv)
		ctx := context.Background()
		c := e.candidate(t)
		_, codeA := e.plan(t, planSpec{})
		_, codeB := e.plan(t, planSpec{})
		_, codeC := e.plan(t, planSpec{})
		stale := e.draft(t, c, codeA)
		// Bytes of its own: a file shared with a kept registration must stay.
		own := append(append([]byte{}, samplePDF...), "% only in the stale draft\n"...)
		if res := upload(t, c, stale.ID, "diploma", "毕业证.pdf", own); res.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", res.Status, res.Body)
		}
		kept := e.draft(t, c, codeB)
		done := e.draft(t, c, codeC)
		ready(t, c, done.ID, "work_years")
		if res := submit(t, c, done.ID); res.Status != http.StatusOK {
			t.Fatalf("submit: %d %s", res.Status, res.Body)
		}
		blobs := func() int { return len(e.app.BlobKeys(t)) } // in the folder or the bucket
		before := blobs()

		// Nothing is old enough yet.
		if n, err := e.app.Core.PurgeStaleDrafts(ctx, 0); err != nil || n != 0 {
			t.Fatalf("early purge: %d %v", n, err)
		}
		// 100 days on, the candidate saves the second draft.
		e.app.Clock.Set(regNow.Add(100 * 24 * time.Hour))
		c = testenv.SignInAs(t, e.app, c.OpenID) // the old session has long expired
		regOK(t, put(t, c, kept.ID, map[string]any{"education": "21"}), http.StatusOK)
		// 181 days after the first draft was last touched.
		e.app.Clock.Set(regNow.Add(core.DraftRetention + 24*time.Hour))
		if n, err := e.app.Core.PurgeStaleDrafts(ctx, 0); err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
		c = testenv.SignInAs(t, e.app, c.OpenID)
		if res := c.Get(t, regPath(stale.ID, "")); res.Status != http.StatusNotFound {
			t.Fatalf("the stale draft is still there: %d", res.Status)
		}
		var rows int
		if err := e.app.DB.R.Get(&rows, `SELECT COUNT(*) FROM attachments WHERE registration_id = ?`, stale.ID); err != nil || rows != 0 {
			t.Fatalf("attachment rows left: %d %v", rows, err)
		}
		if after := blobs(); after != before-1 {
			t.Fatalf("attachment files: %d before, %d after, want one fewer", before, after)
		}
		for _, id := range []int64{kept.ID, done.ID} {
			if res := c.Get(t, regPath(id, "")); res.Status != http.StatusOK {
				t.Fatalf("registration %d was purged: %d", id, res.Status)
			}
		}
	})
}
