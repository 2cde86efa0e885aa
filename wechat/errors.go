package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/silenceper/wechat/v2/util"
)

// Class is what a caller should do about a failed WeChat call.
type Class int

// The classes of WeChat errors. Callers switch on these, never on raw errcodes.
const (
	// ClassNone is the class of a nil error.
	ClassNone Class = iota
	// ClassInvalidCode: a wx.login or getPhoneNumber code is unknown, expired, already
	// used or missing (40029, 40163, 41008), or WeChat refuses the login of a
	// high-risk user (40226). The client must get a fresh code; retrying is useless.
	ClassInvalidCode
	// ClassNoConsent: the user gave no (remaining) consent for this message: no
	// subscribe credit (43101), not a follower of the official account (43004), or
	// outside the customer-service window (45015). Fall back to another channel.
	ClassNoConsent
	// ClassTokenInvalid: the access token was rejected (40001, 40014, 42001, 41001).
	// Client methods already dropped the cached token and retried once.
	ClassTokenInvalid
	// ClassRetryLater: transient: system busy (-1), rate or quota limits (45009,
	// 45011, 45047), network errors, timeouts, HTTP 5xx or 429, unreadable replies.
	ClassRetryLater
	// ClassBadData: WeChat refused the content of a message: a field over its limit
	// (47003), bad JSON (47001), an unknown openid (40003), template id (40037,
	// 40036) or page (41030, 40165). Resending the same data fails again.
	ClassBadData
	// ClassBadRequest: everything else, including configuration errors (40013 invalid
	// appid, 40125 invalid secret, 48001 api unauthorized, 40164 IP not allowed).
	ClassBadRequest
)

var classNames = [...]string{
	ClassNone:         "none",
	ClassInvalidCode:  "invalid_code",
	ClassNoConsent:    "no_consent",
	ClassTokenInvalid: "token_invalid",
	ClassRetryLater:   "retry_later",
	ClassBadData:      "bad_data",
	ClassBadRequest:   "bad_request",
}

// String returns a stable snake_case name, suitable for logs and metrics labels.
func (c Class) String() string {
	if c >= 0 && int(c) < len(classNames) {
		return classNames[c]
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

// Error is the error every Client method returns. Code is WeChat's errcode (0 when
// the failure happened before WeChat answered, e.g. a network error or an HTTP
// status). Msg never carries app secrets, access tokens or login codes.
type Error struct {
	Class Class
	Code  int
	Msg   string
	// Err is the underlying network or context error, if any (for errors.Is with
	// context.DeadlineExceeded and the like). It never holds a URL.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("wechat: %s (errcode %d): %s", e.Class, e.Code, e.Msg)
	}
	return fmt.Sprintf("wechat: %s: %s", e.Class, e.Msg)
}

// Unwrap returns the underlying network or context error, if any.
func (e *Error) Unwrap() error { return e.Err }

// InvalidCode tells whether WeChat refused a wx.login or getPhoneNumber code
// (unknown, expired, already used): the client's to renew. Core asks its
// errors this through an interface of its own.
func (e *Error) InvalidCode() bool { return e != nil && e.Class == ClassInvalidCode }

// Classify says what to do about err. It understands *Error, the SDK's typed
// *util.CommonError, the plain fmt errors the SDK builds around an errcode
// ("errcode=40029 , errmsg=..."), its "statusCode=502" HTTP errors, JSON decoding
// errors, and network and context errors. A nil error is ClassNone.
func Classify(err error) Class {
	if err == nil {
		return ClassNone
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return toError(err).Class
}

// AsError converts any error from the SDK (or from this package) into an *Error
// with its class, errcode and a message free of secrets; nil stays nil. Use it for
// calls made directly on the SDK objects (e.g. through OfficialAccount()).
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	return toError(err)
}

// ClassOfCode classifies a WeChat errcode (0 is ClassNone).
func ClassOfCode(code int) Class {
	switch code {
	case 0:
		return ClassNone
	case 40029, 40163, 41008, 40226:
		return ClassInvalidCode
	case 43101, 43004, 45015:
		return ClassNoConsent
	case 40001, 40014, 42001, 41001:
		return ClassTokenInvalid
	case -1, 45009, 45011, 45047:
		return ClassRetryLater
	case 47003, 47001, 40003, 40036, 40037, 41030, 40165:
		return ClassBadData
	default:
		return ClassBadRequest
	}
}

var (
	errcodeRe    = regexp.MustCompile(`errcode"?\s*[=:]\s*(-?\d+)`)
	errmsgRe     = regexp.MustCompile(`(?:errmsg|errormsg)"?\s*[=:]\s*(.*)$`)
	statusCodeRe = regexp.MustCompile(`statusCode=(\d{3})`)
	secretRe     = regexp.MustCompile(`([?&](?:secret|access_token|js_code|code|appsecret)=)[^&\s"]*`)
)

// toError turns any error returned by the SDK (or by this package) into an *Error.
func toError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var ce *util.CommonError
	if errors.As(err, &ce) {
		return codeError(int(ce.ErrCode), ce.ErrMsg)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return &Error{Class: ClassRetryLater, Msg: ue.Op + " " + redactURL(ue.URL) + ": " + redact(ue.Err.Error()), Err: ue.Err}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Class: ClassRetryLater, Msg: redact(err.Error()), Err: innerErr(err)}
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &Error{Class: ClassRetryLater, Msg: redact(err.Error()), Err: err}
	}
	text := err.Error()
	if m := errcodeRe.FindStringSubmatch(text); m != nil {
		code, convErr := strconv.Atoi(m[1])
		if convErr == nil && code != 0 {
			msg := text
			if mm := errmsgRe.FindStringSubmatch(text); mm != nil {
				msg = strings.TrimSpace(mm[1])
			}
			return codeError(code, redact(msg))
		}
	}
	if m := statusCodeRe.FindStringSubmatch(text); m != nil {
		status, _ := strconv.Atoi(m[1])
		class := ClassBadRequest
		if status >= 500 || status == 429 {
			class = ClassRetryLater
		}
		return &Error{Class: class, Msg: "HTTP status " + m[1]}
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &syn) || errors.As(err, &typ) || strings.Contains(text, "json Unmarshal Error") {
		return &Error{Class: ClassRetryLater, Msg: "unreadable reply: " + redact(text)}
	}
	return &Error{Class: ClassBadRequest, Msg: redact(text)}
}

// codeError builds the *Error of a WeChat errcode.
func codeError(code int, msg string) *Error {
	return &Error{Class: ClassOfCode(code), Code: code, Msg: msg}
}

// innerErr returns the context error inside err without any URL around it.
func innerErr(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return context.DeadlineExceeded
	}
	return context.Canceled
}

// redact blanks the values of secret-bearing query parameters in free text.
func redact(s string) string {
	return secretRe.ReplaceAllString(s, "${1}REDACTED")
}

// redactURL keeps scheme, host and path of a URL and drops its query.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return redact(raw)
	}
	u.RawQuery = ""
	u.User = nil
	return u.String()
}
