package main

import (
	"context"
	"errors"
)

// runListen is "iex listen".
func runListen(ctx context.Context, a *app, args []string) error {
	return errors.New("listen: not built yet")
}
