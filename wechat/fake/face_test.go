package fake_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"skillcert/wechat/fake"
)

// TestFaceAPI: getverifyid and queryverifyinfo as WeChat answers them, and the
// admin endpoint that plays the user's face scan.
func TestFaceAPI(t *testing.T) {
	_, a := start(t, fake.Options{AdminAPI: true})
	mp, _ := a.stableToken(fake.DefaultMPAppID, fake.DefaultMPSecret, false)
	oa, _ := a.stableToken(fake.DefaultOAAppID, fake.DefaultOASecret, false)
	cert := map[string]any{"cert_type": "IDENTITY_CARD", "cert_name": "张三", "cert_no": "11010519491231002X"}
	open := map[string]any{"out_seq_no": "seq-00001", "openid": "o-1", "cert_info": cert}

	wantCode(t, a.post(fake.PathFaceGetVerifyID, tokenQ(oa), open), 48001) // an official account's token
	wantCode(t, a.post(fake.PathFaceGetVerifyID, tokenQ(mp), map[string]any{"out_seq_no": "x", "openid": "o-1", "cert_info": cert}), 47001)
	res := a.post(fake.PathFaceGetVerifyID, tokenQ(mp), open)
	wantCode(t, res, 0)
	id, _ := res["verify_id"].(string)
	if id == "" || res["expires_in"] != float64(600) {
		t.Fatalf("getverifyid: %v", res)
	}
	wantCode(t, a.post(fake.PathFaceGetVerifyID, tokenQ(mp), open), 40097) // out_seq_no again

	// The user's scan, through the admin API.
	b, _ := json.Marshal(map[string]any{"verify_id": id, "verify_ret": fake.FaceIDMismatch})
	resp, err := a.hc.Post(a.base+"/_fake/face", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/_fake/face: %d", resp.StatusCode)
	}
	q := map[string]any{"verify_id": id, "out_seq_no": "seq-00001", "openid": "o-1", "cert_hash": "wrong"}
	wantCode(t, a.post(fake.PathFaceQueryVerifyID, tokenQ(mp), q), 40097)
	q["cert_hash"] = "lxW0Y7rq1w5zB2mUUDN1qYqkI6h1j3eBqcoYbJ1y0Tg=" // not this identity's either
	wantCode(t, a.post(fake.PathFaceQueryVerifyID, tokenQ(mp), q), 40097)
	delete(q, "cert_hash")
	wantCode(t, a.post(fake.PathFaceQueryVerifyID, tokenQ(mp), q), 47001)
	q["verify_id"] = "fv_unknown"
	q["cert_hash"] = "x"
	wantCode(t, a.post(fake.PathFaceQueryVerifyID, tokenQ(mp), q), 84001)
}
