package chatbot

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// memDeduper is a Deduper in memory.
type memDeduper struct {
	mu   sync.Mutex
	seen map[string]*[2]string // [0] "1" when done, [1] the reply
}

func (d *memDeduper) Claim(_ context.Context, key, _ string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seen == nil {
		d.seen = map[string]*[2]string{}
	}
	if d.seen[key] != nil {
		return false, nil
	}
	d.seen[key] = &[2]string{}
	return true, nil
}

func (d *memDeduper) Result(_ context.Context, key string) (string, bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	e := d.seen[key]
	return e[1], e[0] == "1", nil
}

func (d *memDeduper) Finish(_ context.Context, key, reply string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.seen[key] = &[2]string{"1", reply}
	return nil
}

type slowHandler struct {
	delay time.Duration
	calls atomic.Int32
}

func (h *slowHandler) Handle(ctx context.Context, m Message) string {
	h.calls.Add(1)
	time.Sleep(h.delay)
	return "答：" + m.Text
}

type sentText struct {
	mu   sync.Mutex
	sent []string
}

func (s *sentText) SendCustomText(_ context.Context, to, text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, to+"|"+text)
	return nil
}

func newInbox(delay, budget time.Duration) (*Inbox, *slowHandler, *sentText) {
	h, s := &slowHandler{delay: delay}, &sentText{}
	return &Inbox{Handler: h, Dedupe: &memDeduper{}, Sender: s, Budget: budget,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, h, s
}

func TestInboxAnswersOnceWithTheSameReply(t *testing.T) {
	in, h, _ := newInbox(0, time.Second)
	m := Message{OpenID: "o1", Kind: KindText, Text: "帮助"}
	for range 3 {
		if got := in.Answer(context.Background(), "msg:1", m); got != "答：帮助" {
			t.Fatalf("reply %q", got)
		}
	}
	if n := h.calls.Load(); n != 1 {
		t.Fatalf("handled %d times, want once", n)
	}
}

func TestInboxSendsLateAnswersAsCustomerMessages(t *testing.T) {
	in, _, s := newInbox(150*time.Millisecond, 20*time.Millisecond)
	m := Message{OpenID: "o2", Kind: KindText, Text: "记录"}
	if got := in.Answer(context.Background(), "msg:2", m); got != "" {
		t.Fatalf("a late answer must reply success, got %q", got)
	}
	if got := in.Answer(context.Background(), "msg:2", m); got != "" {
		t.Fatalf("a retry of a late answer must reply success, got %q", got)
	}
	in.Close()
	if len(s.sent) != 1 || s.sent[0] != "o2|答：记录" {
		t.Fatalf("customer messages %q", s.sent)
	}
}

func TestInboxRetryWaitsForTheFirstDelivery(t *testing.T) {
	in, h, _ := newInbox(100*time.Millisecond, time.Second)
	m := Message{OpenID: "o3", Kind: KindText, Text: "进度"}
	var wg sync.WaitGroup
	replies := make([]string, 3)
	for i := range replies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies[i] = in.Answer(context.Background(), "msg:3", m)
		}()
	}
	wg.Wait()
	for _, r := range replies {
		if r != "答：进度" {
			t.Fatalf("replies %q", replies)
		}
	}
	if h.calls.Load() != 1 {
		t.Fatalf("handled %d times", h.calls.Load())
	}
}
