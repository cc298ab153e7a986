package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func runServer(cmd *cobra.Command, app string, o startOptions) error {
	return errors.New("server not wired yet")
}
