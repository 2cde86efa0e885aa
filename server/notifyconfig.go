package server

import "time"

// NotifyConfig is the settings of the outbox dispatcher and the exam reminder
// scheduler (docs/NOTIFY.md). The send rate is Config.PushRate.
type NotifyConfig struct {
	Enabled    bool          // SKILLCERT_PUSH_ENABLED: run a dispatcher in this process
	Templates  string        // SKILLCERT_NOTIFY_TEMPLATES: JSON file of template ids and field mappings
	Workers    int           // SKILLCERT_PUSH_WORKERS: concurrent sends
	MaxTries   int           // SKILLCERT_PUSH_MAX_TRIES: sends of one event before it is failed
	RetryBase  time.Duration // SKILLCERT_PUSH_RETRY_BASE: first retry delay (doubled each time, with jitter)
	RetryMax   time.Duration // SKILLCERT_PUSH_RETRY_MAX: longest retry delay
	Lease      time.Duration // SKILLCERT_PUSH_LEASE: how long a claim lasts without its heartbeat
	ID         string        // SKILLCERT_PUSH_ID: this replica's dispatcher name; kept in the data folder when empty
	Poll       time.Duration // SKILLCERT_PUSH_POLL: how often an idle dispatcher looks for due events
	ReminderAt time.Duration // SKILLCERT_REMINDER_POLL: how often the exam reminder scheduler looks
}

func readNotifyConfig(r *envReader) NotifyConfig {
	return NotifyConfig{
		Enabled:    r.boolean("SKILLCERT_PUSH_ENABLED", true),
		Templates:  r.str("SKILLCERT_NOTIFY_TEMPLATES", ""),
		Workers:    r.integer("SKILLCERT_PUSH_WORKERS", 4, 1, 256),
		MaxTries:   r.integer("SKILLCERT_PUSH_MAX_TRIES", 8, 1, 100),
		RetryBase:  r.duration("SKILLCERT_PUSH_RETRY_BASE", 10*time.Second),
		RetryMax:   r.duration("SKILLCERT_PUSH_RETRY_MAX", 30*time.Minute),
		Lease:      r.duration("SKILLCERT_PUSH_LEASE", 10*time.Second),
		ID:         r.str("SKILLCERT_PUSH_ID", ""),
		Poll:       r.duration("SKILLCERT_PUSH_POLL", time.Second),
		ReminderAt: r.duration("SKILLCERT_REMINDER_POLL", time.Minute),
	}
}
