package server

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"skillcert/notify"
)

// dispatcherIDFile keeps a replica's dispatcher name in its data folder.
const dispatcherIDFile = "dispatcher-id"

// dispatcherID is this replica's dispatcher name in outbox claims, stable across
// restarts so that a restarted process hands back the claims its previous run
// left at once (docs/SCALING.md): SKILLCERT_PUSH_ID when set, else the name kept
// in the data folder (created on first start from the host name). The name file
// is locked while the process runs; a second process on the same data folder
// gets a fresh name of its own instead of sharing it.
func (a *App) dispatcherID() string {
	if id := notify.CleanID(a.Cfg.Notify.ID); id != "" {
		return id
	}
	path := filepath.Join(a.Cfg.DataDir, dispatcherIDFile)
	lock, err := lockFile(path + ".lock")
	if err != nil {
		a.Log.Warn("dispatcher name: the data folder's name is in use or cannot be locked; using a fresh one (claims of a previous run wait for their lease)", "err", err)
		return notify.NewID()
	}
	a.push.idLock = lock
	b, err := os.ReadFile(path)
	if id := notify.CleanID(strings.TrimSpace(string(b))); err == nil && id != "" {
		return id
	}
	id := notify.NewID()
	if err := os.WriteFile(path, []byte(id+"\n"), 0o644); err != nil && !errors.Is(err, os.ErrExist) {
		a.Log.Warn("dispatcher name: cannot keep it in the data folder", "err", err)
	}
	return id
}
