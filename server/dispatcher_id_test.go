package server

import (
	"io"
	"log/slog"
	"testing"
)

// The dispatcher's name is kept in the data folder: a restart gets the same one,
// a second process on the same folder (while the first runs) a different one,
// and SKILLCERT_PUSH_ID overrides both.
func TestDispatcherIDIsStableAndNotShared(t *testing.T) {
	dir := t.TempDir()
	app := func(id string) *App {
		a := &App{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), push: &pushWorkers{}}
		a.Cfg.DataDir, a.Cfg.Notify.ID = dir, id
		return a
	}
	first := app("")
	id1 := first.dispatcherID()
	second := app("")
	id2 := second.dispatcherID()
	if id1 == "" || id2 == "" || id1 == id2 {
		t.Fatalf("two processes on one data folder: %q and %q", id1, id2)
	}
	first.push.idLock.Close() // the first process ends
	if second.push.idLock != nil {
		t.Fatal("the second process holds the lock of a name it does not use")
	}
	restarted := app("")
	if id := restarted.dispatcherID(); id != id1 {
		t.Fatalf("after a restart: %q, want %q", id, id1)
	}
	restarted.push.idLock.Close()
	if id := app("replica 7/eu").dispatcherID(); id != "replica-7-eu" {
		t.Fatalf("SKILLCERT_PUSH_ID: %q", id)
	}
}
