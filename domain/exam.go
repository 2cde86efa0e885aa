package domain

import (
	"fmt"
	"regexp"
	"time"
)

// Outbox event kinds of the admission ticket (issue 18).
const (
	// EventTicketIssued: the institution published the plan's tickets and this
	// registration's ticket is new or changed since the last notice. Payload
	// "ticket_no", "note" (the first session: date, time, room).
	EventTicketIssued = "ticket.issued"
	// EventTicketRevoked: a registration with a published ticket is no longer
	// approved; the ticket is void. Payload "ticket_no".
	EventTicketRevoked = "ticket.revoked"
)

// TicketNo is a ticket number (准考证号): the plan number, a hyphen and a
// five-digit sequence number within the plan in the order tickets were first
// assigned, e.g. "2501-00001". Unique per plan; it never changes once given,
// even when the candidate moves to another room.
func TicketNo(planNo string, seq int) string { return fmt.Sprintf("%s-%05d", planNo, seq) }

var clockRe = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// ValidClock reports whether s is a time of day "HH:MM" (24-hour).
func ValidClock(s string) bool { return clockRe.MatchString(s) }

// SessionEnd is the instant a session of date ("YYYY-MM-DD") ends at clock
// ("HH:MM"), Beijing time; ok is false when either does not parse.
func SessionEnd(date, clock string) (time.Time, bool) {
	d, ok := ParseDate(date)
	if !ok || !ValidClock(clock) {
		return time.Time{}, false
	}
	var h, m int
	fmt.Sscanf(clock, "%d:%d", &h, &m)
	return d.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute), true
}

// TicketRules are the rules for candidates printed on every ticket.
func TicketRules(idTypeName string) []string {
	return []string{
		"请携带报名时使用的有效证件（" + idTypeName + "）原件和本准考证（纸质或手机出示均可）参加评价，二者缺一不得入场。",
		"请于每场开考前30分钟到达考点，凭准考证二维码或准考证号签到；开考15分钟后不得入场。",
		"按准考证所列考场和座位号就座；除规定的文具外，手机等电子设备须关机交由考务人员统一保管。",
		"遵守考场纪律，服从考务人员管理；违纪、作弊者按有关规定处理，并记入诚信档案。",
	}
}
