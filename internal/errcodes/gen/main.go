// Command gen writes the error code list (domain/errcodes_gen.go) and its
// table in docs/API.md from errcodes.Scan: `go generate ./domain`.
package main

import (
	"flag"
	"fmt"
	"os"

	"skillcert/internal/errcodes"
)

func main() {
	root := flag.String("root", ".", "the module's root folder")
	flag.Parse()
	if err := errcodes.Write(*root); err != nil {
		fmt.Fprintln(os.Stderr, "errcodes:", err)
		os.Exit(1)
	}
}
