package webhook

import (
	"context"
	"sync"
	"time"
)

// memoryCheckpoints holds a MemoryStore's catch-up checkpoints. It has its
// own lock: checkpoints are touched once per pass and never together with
// the event entries. The zero value is ready to use.
type memoryCheckpoints struct {
	mu sync.Mutex
	at map[string]time.Time
}

// LoadCheckpoint implements CheckpointStore.
func (m *MemoryStore) LoadCheckpoint(_ context.Context, name string) (time.Time, bool, error) {
	m.checkpoints.mu.Lock()
	defer m.checkpoints.mu.Unlock()
	at, ok := m.checkpoints.at[name]
	return at, ok, nil
}

// SaveCheckpoint implements CheckpointStore; a later stored time wins.
func (m *MemoryStore) SaveCheckpoint(_ context.Context, name string, at time.Time) error {
	m.checkpoints.mu.Lock()
	defer m.checkpoints.mu.Unlock()
	if m.checkpoints.at == nil {
		m.checkpoints.at = make(map[string]time.Time)
	}
	if old, ok := m.checkpoints.at[name]; !ok || at.After(old) {
		m.checkpoints.at[name] = at
	}
	return nil
}
