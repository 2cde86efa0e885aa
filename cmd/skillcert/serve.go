package main

import (
	"context"
	"fmt"
	"time"

	"skillcert/demo"
	"skillcert/server"
)

func init() {
	register("serve", "start the HTTP server (the default command)", cmdServe)
	register("migrate", "bring the database schema up to date and exit", cmdMigrate)
	register("seed-demo", "load the demo data into an empty database and exit", cmdSeedDemo)
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	cfg, err := server.LoadConfig(nil)
	if err != nil {
		return err
	}
	app, err := server.New(ctx, cfg, e.log, server.Options{Guide: e.stderr})
	if err != nil {
		return err
	}
	if app.Demo.Code != "" {
		e.log.Info("demo data ready", "seeded_now", app.Demo.Seeded, "plans", app.Demo.Plans,
			"demo_plan", demo.PlanNo, "demo_registration_code", app.Demo.Code)
	}
	return app.Serve(ctx)
}

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	db, _, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	cur, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "schema at version %d\n", cur)
	return nil
}

func cmdSeedDemo(ctx context.Context, e *env, args []string) error {
	db, cfg, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	info, err := demo.Seed(ctx, db, time.Now(), cfg.DemoPlans)
	if err != nil {
		return err
	}
	if !info.Seeded {
		fmt.Fprintln(e.stdout, "the database already has plans; nothing loaded")
		return nil
	}
	fmt.Fprintf(e.stdout, "loaded %d plans; demo plan %s, registration code %s\n", info.Plans, demo.PlanNo, info.Code)
	return nil
}
