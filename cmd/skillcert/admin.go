package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"skillcert/core"
	"skillcert/domain"
)

func init() {
	register("admin", "console accounts: admin create-user --username U --role admin|institution|supervisor [--institution ID] [--region R] (password on stdin)", cmdAdmin)
}

func cmdAdmin(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "create-user" {
		return errors.New("usage: skillcert admin create-user --username U --role admin|institution|supervisor [--institution ID] [--region R]  (the password is read from standard input)")
	}
	fs := flag.NewFlagSet("admin create-user", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	username := fs.String("username", "", "the new account's username")
	role := fs.String("role", "", "admin, institution or supervisor")
	inst := fs.Int64("institution", 0, "the institution id (role institution)")
	region := fs.String("region", "", "the supervision region, e.g. 广东省（省本级） (role supervisor)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	password, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	db, cfg, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	c := core.New(core.Deps{DB: db, Log: e.log, PasswordCost: cfg.Console.PasswordCost})
	st, err := c.CreateStaff(ctx, core.NewStaff{Username: *username, Password: password, Role: domain.Role(*role),
		InstitutionID: *inst, Region: *region}, nil)
	if err != nil {
		if de, ok := domain.AsError(err); ok && len(de.Fields) > 0 {
			msgs := make([]string, 0, len(de.Fields))
			for _, f := range de.Fields {
				msgs = append(msgs, f.Field+": "+f.Message)
			}
			return errors.New(strings.Join(msgs, "; "))
		}
		return err
	}
	fmt.Fprintf(e.stdout, "created %s account %q (id %d)\n", st.Role, st.Username, st.ID)
	return nil
}

// readPassword reads the password from the first line of standard input (the
// trailing newline removed); it is never echoed or logged.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input")
	}
	return line, nil
}
