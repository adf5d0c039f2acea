package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// Bounds of the listen state file: events forwarded are remembered for a
// day, at most maxDoneEvents of them, which covers any catch-up overlap.
const (
	doneTTL       = 24 * time.Hour
	maxDoneEvents = 10000
)

// listenState is iex listen's webhook.Store and webhook.CheckpointStore,
// kept in a file, so that a listen started again resumes after the last
// event it forwarded and forwards none twice. It also keeps the generated
// forwarding secret, so the developer's receiver keeps working across runs.
type listenState struct {
	path string
	now  func() time.Time
	// onSaveError hears of a state file that cannot be written (the
	// catch-up keeps such an event open and forwards it again).
	onSaveError func(error)

	mu     sync.Mutex
	claims map[string]claim // in this process only
	file   stateFile
}

type claim struct {
	owner string
	until time.Time
}

// stateFile is what the file holds.
type stateFile struct {
	Secret      string               `json:"forwarding_secret,omitempty"`
	Checkpoints map[string]time.Time `json:"checkpoints"`
	Done        map[string]time.Time `json:"done"` // event id -> when it was forwarded
}

// openListenState reads path, or starts an empty state when it does not
// exist yet. An empty path keeps the state in memory only.
func openListenState(path string) (*listenState, error) {
	s := &listenState{path: path, now: time.Now, claims: map[string]claim{}}
	s.file = stateFile{Checkpoints: map[string]time.Time{}, Done: map[string]time.Time{}}
	if path == "" {
		return s, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	if len(b) > maxInput {
		return nil, fmt.Errorf("state file %s: larger than %d bytes", path, maxInput)
	}
	if err := json.Unmarshal(b, &s.file); err != nil {
		return nil, fmt.Errorf("state file %s: %v (delete it to start afresh)", path, err)
	}
	if s.file.Checkpoints == nil {
		s.file.Checkpoints = map[string]time.Time{}
	}
	if s.file.Done == nil {
		s.file.Done = map[string]time.Time{}
	}
	return s, nil
}

// defaultStatePath is the state file for one API and one forwarding
// target, in the user's cache directory.
func defaultStatePath(key string) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "iex", "listen-"+shortHash(key)+".json"), nil
}

// secret returns the stored forwarding secret, making and storing one the
// first time.
func (s *listenState) secret(generate func() string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.file.Secret == "" {
		s.file.Secret = generate()
		if err := s.saveLocked(); err != nil {
			return "", err
		}
	}
	return s.file.Secret, nil
}

// Claim implements webhook.Store.
func (s *listenState) Claim(_ context.Context, eventID, owner string, lease time.Duration) (webhook.ClaimState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if _, ok := s.file.Done[eventID]; ok {
		return webhook.AlreadyDone, nil
	}
	if c, ok := s.claims[eventID]; ok && c.owner != owner && now.Before(c.until) {
		return webhook.InProgress, nil
	}
	s.claims[eventID] = claim{owner, now.Add(lease)}
	return webhook.Claimed, nil
}

// Complete implements webhook.Store: the event was forwarded.
func (s *listenState) Complete(_ context.Context, eventID, _ string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.claims, eventID)
	s.file.Done[eventID] = s.now().UTC()
	s.pruneLocked()
	return s.saveReported()
}

// saveReported saves and tells onSaveError of a failure.
func (s *listenState) saveReported() error {
	err := s.saveLocked()
	if err != nil && s.onSaveError != nil {
		s.onSaveError(err)
	}
	return err
}

// Release implements webhook.Store.
func (s *listenState) Release(_ context.Context, eventID, owner string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.claims[eventID]; ok && c.owner == owner {
		delete(s.claims, eventID)
	}
	return nil
}

// LoadCheckpoint implements webhook.CheckpointStore.
func (s *listenState) LoadCheckpoint(_ context.Context, name string) (time.Time, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.file.Checkpoints[name]
	return at, ok, nil
}

// SaveCheckpoint implements webhook.CheckpointStore: the later time wins.
func (s *listenState) SaveCheckpoint(_ context.Context, name string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.file.Checkpoints[name]; ok && !at.After(old) {
		return nil
	}
	s.file.Checkpoints[name] = at.UTC()
	return s.saveReported()
}

// pruneLocked forgets forwarded events older than doneTTL, and the oldest
// ones beyond maxDoneEvents.
func (s *listenState) pruneLocked() {
	cutoff := s.now().Add(-doneTTL)
	for id, at := range s.file.Done {
		if at.Before(cutoff) {
			delete(s.file.Done, id)
		}
	}
	for len(s.file.Done) > maxDoneEvents {
		var oldestID string
		var oldest time.Time
		for id, at := range s.file.Done {
			if oldestID == "" || at.Before(oldest) {
				oldestID, oldest = id, at
			}
		}
		delete(s.file.Done, oldestID)
	}
}

// saveLocked writes the file atomically (a temporary file renamed over
// it), readable by the user only: it holds the forwarding secret.
func (s *listenState) saveLocked() error {
	if s.path == "" {
		return nil
	}
	b, err := json.Marshal(s.file)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".listen-*.tmp")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), s.path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
	}
	return werr
}
