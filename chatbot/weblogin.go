package chatbot

import (
	"strings"

	"skillcert/core"
)

// EventScan is WeChat's event for a follower scanning a parameter QR code.
const EventScan = "SCAN"

// webLoginScene returns the scene of a scan of a web sign-in QR code: a SCAN
// event whose key is the scene, or the subscribe event of a new follower whose
// key is "qrscene_" + the scene.
func webLoginScene(m Message) (string, bool) {
	if m.Kind != KindEvent {
		return "", false
	}
	key := m.EventKey
	switch m.Event {
	case EventScan:
	case EventSubscribe:
		var ok bool
		if key, ok = strings.CutPrefix(key, "qrscene_"); !ok {
			return "", false
		}
	default:
		return "", false
	}
	if !strings.HasPrefix(key, core.WebQRScenePrefix) {
		return "", false
	}
	return key, true
}

// webLogin signs in the browser showing the scanned code (core.ScanWebQR) and
// tells the follower so.
func (t *turn) webLogin(scene string) error {
	if t.msg.Event == EventSubscribe {
		if _, err := t.core.RecordOAFollow(t.ctx, t.msg.OpenID, t.msg.UnionID); err != nil {
			return err
		}
	}
	reply, err := t.core.ScanWebQR(t.ctx, scene, t.msg.OpenID, t.msg.UnionID)
	if err != nil {
		return err
	}
	t.out.line(reply)
	return nil
}
