package core

import (
	"crypto/hmac"
	"fmt"
	"strconv"
	"strings"
	"time"

	"skillcert/domain"
)

// Hand-over links (issue 23): where a chat message cannot do a step (binding
// the identity with the privacy consent, uploading attachments, the
// certificate timeline, the admission ticket), the chat answers with a link to
// the web page of that step. The link names the step and the registration,
// never a URL: the web maps the step to its own page, so a link cannot send a
// browser anywhere else. It is signed (an HMAC under the blind-index key) and
// lives HandoverTTL; it does not sign anybody in — the page signs the follower
// in through the official account's web authorization as any page does.

// HandoverStep is the step a hand-over link opens.
type HandoverStep string

// The steps the chat hands over to the web.
const (
	HandoverIdentity     HandoverStep = "identity"     // 我的: identity with the privacy consent
	HandoverAttachments  HandoverStep = "attachments"  // the registration's form with its attachments
	HandoverRecord       HandoverStep = "record"       // one registration
	HandoverRecords      HandoverStep = "records"      // 报名记录
	HandoverCertificates HandoverStep = "certificates" // the certificate timeline
	HandoverTicket       HandoverStep = "ticket"       // the admission ticket (准考证) with its QR code
)

// HandoverTTL is how long a hand-over link opens its page.
const HandoverTTL = 30 * time.Minute

var handoverSteps = map[HandoverStep]bool{HandoverIdentity: true, HandoverAttachments: true, HandoverRecord: true,
	HandoverRecords: true, HandoverCertificates: true, HandoverTicket: true}

// needsRegistration tells the steps that are about one registration.
func (s HandoverStep) needsRegistration() bool {
	return s == HandoverAttachments || s == HandoverRecord || s == HandoverTicket
}

// Handover is an opened hand-over link.
type Handover struct {
	Step           HandoverStep
	RegistrationID int64 // the steps about one registration
	CandidateID    int64 // who the chat made the link for
	ExpiresAt      time.Time
}

const handoverContext = "oa-handover:v1:"

func (c *Core) handoverMAC(payload string) string {
	return c.pii.Index(handoverContext + payload)[:32]
}

// IssueHandoverToken is the signed token of a hand-over link for the candidate's
// step (regID for the steps about one registration, else 0).
func (c *Core) IssueHandoverToken(candidateID int64, step HandoverStep, regID int64) string {
	exp := c.dbNow().Add(HandoverTTL).Unix()
	payload := fmt.Sprintf("%s.%d.%d.%d", step, regID, candidateID, exp)
	return payload + "." + c.handoverMAC(payload)
}

var (
	errHandoverInvalid = domain.NewError(domain.KindForbidden, "handover_invalid", "链接无效，请回到公众号重新获取")
	errHandoverExpired = domain.NewError(domain.KindConflict, "handover_expired", "链接已过期，请回到公众号重新获取")
)

// OpenHandover checks a hand-over token: a forged or altered one is
// handover_invalid (forbidden), an old one handover_expired.
func (c *Core) OpenHandover(token string) (*Handover, error) {
	if len(token) > 200 {
		return nil, errHandoverInvalid
	}
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return nil, errHandoverInvalid
	}
	payload, mac := token[:i], token[i+1:]
	if !hmac.Equal([]byte(mac), []byte(c.handoverMAC(payload))) {
		return nil, errHandoverInvalid
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 4 {
		return nil, errHandoverInvalid
	}
	h := &Handover{Step: HandoverStep(parts[0])}
	reg, err1 := strconv.ParseInt(parts[1], 10, 64)
	cand, err2 := strconv.ParseInt(parts[2], 10, 64)
	exp, err3 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || !handoverSteps[h.Step] || cand <= 0 ||
		h.Step.needsRegistration() != (reg > 0) {
		return nil, errHandoverInvalid
	}
	h.RegistrationID, h.CandidateID, h.ExpiresAt = reg, cand, time.Unix(exp, 0)
	if !c.dbNow().Before(h.ExpiresAt) {
		return nil, errHandoverExpired
	}
	return h, nil
}
