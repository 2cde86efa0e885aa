package wechat

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"time"

	"github.com/silenceper/wechat/v2/util"

	"skillcert/domain"
)

// WeChat's mini-program face verification (微信人脸核身), the current API: the
// server opens a session for (openid, name, ID number) with getVerifyId, the
// mini-program runs it with wx.requestFacialVerify({verifyId}), and the server
// asks for the true result with queryVerifyInfo. The SDK has neither call: they
// are made here with the SDK's access token and HTTP client. See docs/WECHAT.md.
const (
	PathFaceGetVerifyID   = "/cityservice/face/identify/getverifyid"
	PathFaceQueryVerifyID = "/cityservice/face/identify/queryverifyinfo"

	// CertTypeIDCard is cert_info.cert_type of a 居民身份证, the only document
	// WeChat's face verification checks.
	CertTypeIDCard = "IDENTITY_CARD"

	// VerifyRetPassed is queryVerifyInfo's verify_ret of a passed verification
	// (10000 识别成功).
	VerifyRetPassed = 10000
	// VerifyRetIDMismatch is verify_ret 10003 (身份证号不匹配): the name and the
	// number do not belong together.
	VerifyRetIDMismatch = 10003
	// VerifyRetFaceMismatch is verify_ret 10004 (比对人脸信息不匹配): the face is
	// not the one on record for the number.
	VerifyRetFaceMismatch = 10004
	// ErrcodeInvalidVerifyID is the errcode WeChat answers for an unknown,
	// expired or already used verification id (84001, "invalid identify id").
	ErrcodeInvalidVerifyID = 84001
)

// CertInfo is getVerifyId's cert_info: the identity to check.
type CertInfo struct {
	CertType string `json:"cert_type"`
	CertName string `json:"cert_name"`
	CertNo   string `json:"cert_no"`
}

// CertHash is queryVerifyInfo's cert_hash: a digest of the cert_info given to
// getVerifyId, so the result cannot be replayed for another identity. It is
// base64(SHA-256("cert_type=…&cert_name=…&cert_no=…")). WeChat's page gives the
// computation under 注意事项; check it against that page before going live (see
// docs/WECHAT.md): the fake computes the same digest.
func CertHash(ci CertInfo) string {
	sum := sha256.Sum256([]byte("cert_type=" + ci.CertType + "&cert_name=" + ci.CertName + "&cert_no=" + ci.CertNo))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// outSeqNoRe is WeChat's rule for out_seq_no: 5–32 of digits, letters, '_' and '-'.
var outSeqNoRe = regexp.MustCompile(`^[A-Za-z0-9_-]{5,32}$`)

// GetVerifyID opens a face verification session (getVerifyId). openid must be
// the mini-program user who will run wx.requestFacialVerify; outSeqNo is unique
// per app. It returns the verify_id and how long it may be opened.
func (c *Client) GetVerifyID(ctx context.Context, openID, outSeqNo string, ci CertInfo) (string, time.Duration, error) {
	if c.mp == nil {
		return "", 0, notConfigured(AppMiniProgram)
	}
	if openID == "" || !outSeqNoRe.MatchString(outSeqNo) || ci.CertName == "" || ci.CertNo == "" || ci.CertType == "" {
		return "", 0, &Error{Class: ClassBadData, Msg: "getverifyid needs openid, out_seq_no and cert_info (not sent)"}
	}
	body := map[string]any{"out_seq_no": outSeqNo, "cert_info": ci, "openid": openID}
	var res struct {
		VerifyID  string `json:"verify_id"`
		ExpiresIn int64  `json:"expires_in"`
	}
	if err := c.mpPost(ctx, PathFaceGetVerifyID, body, &res); err != nil {
		return "", 0, err
	}
	if res.VerifyID == "" {
		return "", 0, &Error{Class: ClassRetryLater, Msg: "getverifyid returned no verify_id"}
	}
	ttl := time.Duration(res.ExpiresIn) * time.Second
	if ttl <= 0 {
		ttl = time.Hour // the documented default
	}
	return res.VerifyID, ttl, nil
}

// QueryVerifyInfo asks WeChat for the true result of a session (queryVerifyInfo):
// verify_ret (10000 passed). openID, outSeqNo and ci must be those given to
// GetVerifyID. An unknown, expired or used verify id is errcode 84001.
func (c *Client) QueryVerifyInfo(ctx context.Context, verifyID, openID, outSeqNo string, ci CertInfo) (int, error) {
	if c.mp == nil {
		return 0, notConfigured(AppMiniProgram)
	}
	if verifyID == "" || len(verifyID) > 256 || openID == "" || outSeqNo == "" {
		return 0, &Error{Class: ClassBadData, Code: ErrcodeInvalidVerifyID, Msg: "queryverifyinfo needs verify_id, openid and out_seq_no (not sent)"}
	}
	body := map[string]any{"verify_id": verifyID, "out_seq_no": outSeqNo, "cert_hash": CertHash(ci), "openid": openID}
	var res struct {
		VerifyRet int `json:"verify_ret"`
	}
	if err := c.mpPost(ctx, PathFaceQueryVerifyID, body, &res); err != nil {
		return 0, err
	}
	return res.VerifyRet, nil
}

// mpPost posts body as JSON to a mini-program API path with the access token
// (dropped and fetched again once when WeChat rejects it) and decodes the reply
// into out; a non-zero errcode is an *Error.
func (c *Client) mpPost(ctx context.Context, path string, body, out any) error {
	return c.withToken(ctx, AppMiniProgram, func() error {
		token, err := c.mp.GetContext().GetAccessTokenContext(ctx)
		if err != nil {
			return err
		}
		raw, err := util.PostJSONContext(ctx, "https://api.weixin.qq.com"+path+"?access_token="+token, body)
		if err != nil {
			return err
		}
		var ce util.CommonError
		if json.Unmarshal(raw, &ce) != nil || json.Unmarshal(raw, out) != nil {
			return &Error{Class: ClassRetryLater, Msg: "unreadable reply from " + path}
		}
		if ce.ErrCode != 0 {
			return codeError(int(ce.ErrCode), redact(ce.ErrMsg))
		}
		return nil
	})
}

// FaceVerifier is the WeChat face verification as core's verifier sees it: it
// speaks domain types, so core needs nothing of this package.
type FaceVerifier struct{ C *Client }

// Method names the verification method recorded with a verified identity.
func (FaceVerifier) Method() string { return "wechat_face" }

// certInfo is the cert_info of a check; WeChat checks 居民身份证 only.
func certInfo(fc domain.FaceCheck) (CertInfo, error) {
	if fc.IDType != domain.IDTypeResidentCard {
		return CertInfo{}, &Error{Class: ClassBadData, Msg: "face verification checks 居民身份证 only (not sent)"}
	}
	return CertInfo{CertType: CertTypeIDCard, CertName: fc.Name, CertNo: fc.IDNumber}, nil
}

// StartFace opens a session (getVerifyId).
func (f FaceVerifier) StartFace(ctx context.Context, fc domain.FaceCheck) (domain.FaceSession, error) {
	ci, err := certInfo(fc)
	if err != nil {
		return domain.FaceSession{}, err
	}
	id, ttl, err := f.C.GetVerifyID(ctx, fc.OpenID, fc.OutSeqNo, ci)
	if err != nil {
		return domain.FaceSession{}, err
	}
	return domain.FaceSession{VerifyID: id, ExpiresIn: ttl}, nil
}

// FaceOutcome asks for the true result of a session (queryVerifyInfo). An
// unknown, expired or used session is FaceInvalid, not an error.
func (f FaceVerifier) FaceOutcome(ctx context.Context, fc domain.FaceCheck, verifyID string) (domain.FaceOutcome, error) {
	ci, err := certInfo(fc)
	if err != nil {
		return domain.FaceOutcome{}, err
	}
	ret, err := f.C.QueryVerifyInfo(ctx, verifyID, fc.OpenID, fc.OutSeqNo, ci)
	if err != nil {
		if e := AsError(err); e.Code == ErrcodeInvalidVerifyID {
			return domain.FaceOutcome{Result: domain.FaceInvalid, Code: e.Code}, nil
		}
		return domain.FaceOutcome{}, err
	}
	return domain.FaceOutcome{Result: FaceResultOf(ret), Code: ret}, nil
}

// FaceResultOf maps verify_ret to a result: 10000 passed; 10003 the name and
// number do not match; 10004 the face does not match; other 1xxxx codes are
// failures of the check itself (face features not detected …); 9xxxx are the
// user cancelling or the device, camera or network failing: not done.
func FaceResultOf(verifyRet int) domain.FaceResult {
	switch {
	case verifyRet == VerifyRetPassed:
		return domain.FacePassed
	case verifyRet == VerifyRetIDMismatch:
		return domain.FaceMismatch
	case verifyRet >= 10001 && verifyRet < 20000:
		return domain.FaceFailed
	default:
		return domain.FaceNotDone
	}
}

// HasMiniProgram tells whether the mini-program app is configured (face
// verification, sign-in and phone numbers need it).
func (c *Client) HasMiniProgram() bool { return c != nil && c.mp != nil }
