package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"skillcert/core"
	"skillcert/pii"
)

func init() {
	register("import-employment", "load the employment register for the employer check: import-employment [--replace] FILE.csv (ID number, employer, from-date)", cmdImportEmployment)
}

// cmdImportEmployment loads a CSV of the provincial HR system's employment
// records. ID numbers are stored only as their blind index, so the command needs
// the server's personal-data key (SKILLCERT_DATA_KEY, or the data folder's key).
func cmdImportEmployment(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("import-employment", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	replace := fs.Bool("replace", false, "empty the register first (the file is a full snapshot)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: skillcert import-employment [--replace] FILE.csv")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	db, cfg, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	sealer, _, err := pii.LoadOrCreate(cfg.DataKey, cfg.DataDir)
	if err != nil {
		return fmt.Errorf("SKILLCERT_DATA_KEY: %w", err)
	}
	c := core.New(core.Deps{DB: db, Log: e.log, Sealer: sealer})
	res, err := c.ImportEmployment(ctx, f, *replace)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "employment register: %d records read, %d added, %d updated\n", res.Rows, res.Added, res.Updated)
	return nil
}
