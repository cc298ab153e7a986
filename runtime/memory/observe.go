package memory

import (
	"context"
	"sync/atomic"

	"go.mongodb.org/mongo-driver/v2/event"
)

// CommandObserver sees the MongoDB commands of a store (the server traces
// them); the memory package itself imports no tracing library.
type CommandObserver interface {
	Started(ctx context.Context, requestID int64, command string)
	Finished(requestID int64, err error)
}

// commandEvents forwards the driver's command events to an observer set
// after the client exists (the store opens before the server knows whether
// it traces).
type commandEvents struct {
	observer atomic.Pointer[CommandObserver]
}

func (c *commandEvents) monitor() *event.CommandMonitor {
	return &event.CommandMonitor{
		Started: func(ctx context.Context, e *event.CommandStartedEvent) {
			if o := c.observer.Load(); o != nil {
				(*o).Started(ctx, e.RequestID, e.CommandName)
			}
		},
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) {
			if o := c.observer.Load(); o != nil {
				(*o).Finished(e.RequestID, nil)
			}
		},
		Failed: func(_ context.Context, e *event.CommandFailedEvent) {
			if o := c.observer.Load(); o != nil {
				(*o).Finished(e.RequestID, e.Failure)
			}
		},
	}
}

// ObserveCommands sends the store's MongoDB commands to o.
func (m *Mongo) ObserveCommands(o CommandObserver) { m.events.observer.Store(&o) }

// ObserveMongo sends the MongoDB tier's commands to o; without a MongoDB
// tier it does nothing.
func (t *Tiered) ObserveMongo(o CommandObserver) {
	if m, ok := t.l3.(*Mongo); ok {
		m.ObserveCommands(o)
	}
}
