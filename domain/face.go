package domain

import "time"

// Face verification (人脸核身): a real-name service checks, with a live face
// scan on the candidate's phone, that the person holding the phone is the owner
// of a name and ID number. These are the plain types a core verifier and its
// adapters (wechat/) share; no face data ever passes through them.

// FaceCheck is one verification attempt: whose phone, our serial number of the
// attempt and the identity to check.
type FaceCheck struct {
	OpenID   string // the candidate's mini-program openid: the user whose face is scanned
	OutSeqNo string // our serial number of the attempt: 5–32 of [A-Za-z0-9_-], unique per app
	Name     string
	IDType   string // an IDType* code; WeChat checks 居民身份证 only
	IDNumber string
}

// FaceSession is a verification session opened for a FaceCheck: the client
// opens VerifyID (wx.requestFacialVerify) before it expires.
type FaceSession struct {
	VerifyID  string
	ExpiresIn time.Duration
}

// FaceResult is what a finished verification says.
type FaceResult string

// The results of a verification, as the service reports them.
const (
	FacePassed   FaceResult = "passed"   // the face matches the owner of the name and number
	FaceFailed   FaceResult = "failed"   // the face does not match
	FaceMismatch FaceResult = "mismatch" // the name and the ID number do not belong together
	FaceNotDone  FaceResult = "not_done" // cancelled, no camera permission, network or device trouble
	FaceInvalid  FaceResult = "invalid"  // the session is unknown, expired or already used
)

// FaceOutcome is the service's answer for a session: the result and the
// service's own code (WeChat's verify_ret or errcode), for the audit log.
type FaceOutcome struct {
	Result FaceResult
	Code   int
}

// FaceResultName is the Chinese word for a result, for staff pages.
func FaceResultName(r FaceResult) string {
	switch r {
	case FacePassed:
		return "核验通过"
	case FaceFailed:
		return "人脸比对不一致"
	case FaceMismatch:
		return "姓名与证件号码不一致"
	case FaceNotDone:
		return "未完成"
	case FaceInvalid:
		return "会话无效或已过期"
	}
	return string(r)
}

// EventIdentityReleased tells a candidate that the ID number their account was
// bound to was verified by face by its owner on another account, and what
// became of their drafts and registrations.
const EventIdentityReleased = "identity.released"
