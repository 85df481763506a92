// Command milepost is the Milepost server and its administration tool.
//
//	milepost serve                      run the server (SQLite + files under ./milepost-data by default)
//	milepost migrate                    apply database migrations and exit
//	milepost partner create --name N    create a partner and print its credentials once
//	milepost partner list               list partners (no secrets)
//	milepost vehicles import-plates F   load state,plate,vin rows for creating vehicles by plate
//
// Every flag can also be set with a MILEPOST_* environment variable; see `milepost help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
