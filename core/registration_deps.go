package core

import (
	"hash/fnv"
	"slices"
	"sync"
	"time"

	"skillcert/blobstore"
)

// RegistrationSettings tunes registration by code.
type RegistrationSettings struct {
	// CodeGuessLimit is how many failed code lookups a candidate may make in
	// CodeGuessWindow; 10 when zero.
	CodeGuessLimit int
	// CodeGuessIPLimit is the same for one IP address, generous because a
	// classroom shares one; 300 when zero.
	CodeGuessIPLimit int
	// CodeGuessGlobalLimit is the same for every lookup together (a scan of the
	// code space from many accounts and addresses); 3000 when zero.
	CodeGuessGlobalLimit int
	// MaxUploadBytes is the largest attachment; 20 MB when zero.
	MaxUploadBytes int64
	// MaxAttachments is how many attachments one registration may have; 10 when zero.
	MaxAttachments int
	// MaxCandidateBytes is the most attachment bytes one candidate may keep over
	// all registrations; 100 MB when zero.
	MaxCandidateBytes int64
	// MinFreeBytes is the free space the attachment store must keep: below it
	// every upload is refused (507); 1 GB when zero, none when negative.
	MinFreeBytes int64
	// SubmitConcurrency is how many submit transactions one replica runs at
	// once; DefaultSubmitConcurrency when zero. SubmitWait is how long a submit
	// waits for one of them before it is answered busy; DefaultSubmitWait when
	// zero. See registration_admission.go.
	SubmitConcurrency int
	SubmitWait        time.Duration
	// SubmitQueue says whether a draft's submit queues unread in its plan's
	// commit queue, for the group's leader to read with the others
	// (submit_queue.go); SubmitQueueOn when empty.
	SubmitQueue SubmitQueueMode
}

// SubmitQueueMode is RegistrationSettings.SubmitQueue.
type SubmitQueueMode string

// The modes of the submit queue: on (the default), or off, where each
// submit reads its own facts behind its own gate slot, as before the queue
// (slower under a burst on both engines: bench/README.md, issue 19).
const (
	SubmitQueueOn  SubmitQueueMode = "on"
	SubmitQueueOff SubmitQueueMode = "off"
)

// Defaults of RegistrationSettings.
const (
	DefaultCodeGuessLimit       = 10
	DefaultCodeGuessIPLimit     = 300
	DefaultCodeGuessGlobalLimit = 3000
	DefaultMaxUploadBytes       = 20 << 20
	DefaultMaxAttachments       = 10
	DefaultMaxCandidateBytes    = 100 << 20
	DefaultMinFreeBytes         = 1 << 30
)

func (s RegistrationSettings) withDefaults() RegistrationSettings {
	if s.CodeGuessLimit <= 0 {
		s.CodeGuessLimit = DefaultCodeGuessLimit
	}
	if s.CodeGuessIPLimit <= 0 {
		s.CodeGuessIPLimit = DefaultCodeGuessIPLimit
	}
	if s.CodeGuessGlobalLimit <= 0 {
		s.CodeGuessGlobalLimit = DefaultCodeGuessGlobalLimit
	}
	if s.MaxUploadBytes <= 0 {
		s.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if s.MaxAttachments <= 0 {
		s.MaxAttachments = DefaultMaxAttachments
	}
	if s.MaxCandidateBytes <= 0 {
		s.MaxCandidateBytes = DefaultMaxCandidateBytes
	}
	if s.MinFreeBytes == 0 {
		s.MinFreeBytes = DefaultMinFreeBytes
	}
	return s
}

// registrationDeps is what Core keeps for registration by code.
type registrationDeps struct {
	blobs blobstore.Store
	set   RegistrationSettings
	locks *keyedMutex // per blob key: staging, rows and deletion of one content
}

func newRegistrationDeps(blobs blobstore.Store, s RegistrationSettings) registrationDeps {
	return registrationDeps{blobs: blobs, set: s.withDefaults(), locks: &keyedMutex{}}
}

// RegistrationSettings returns the settings in force (defaults filled in).
func (c *Core) RegistrationSettings() RegistrationSettings { return c.reg.set }

// keyedMutex serialises work on one key with a fixed set of stripes: two keys
// may share a stripe, which only costs a little waiting.
type keyedMutex struct {
	stripes [64]sync.Mutex
}

func (k *keyedMutex) stripe(key string) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(len(k.stripes)))
}

func (k *keyedMutex) lock(key string) func() {
	m := &k.stripes[k.stripe(key)]
	m.Lock()
	return m.Unlock
}

// lockAll locks the stripes of several keys, each stripe once and in index
// order, so that two callers holding several keys never wait on each other.
func (k *keyedMutex) lockAll(keys []string) func() {
	var idx []int
	for _, key := range keys {
		idx = append(idx, k.stripe(key))
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	for _, i := range idx {
		k.stripes[i].Lock()
	}
	return func() {
		for _, i := range slices.Backward(idx) {
			k.stripes[i].Unlock()
		}
	}
}
