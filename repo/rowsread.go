package repo

import "reflect"

// RowsRead is how many rows the named-query reads (get, sel, selectIn and the
// streamed walks) have handed back since the DB was opened: a test's measure
// that a page reads a page, not the whole plan.
func (db *DB) RowsRead() int64 { return db.rowsRead.Load() }

// countRows adds the length of the slice dst points to (1 for a single row).
func (db *DB) countRows(dst any) {
	v := reflect.ValueOf(dst)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() == reflect.Slice {
		db.rowsRead.Add(int64(v.Len()))
		return
	}
	db.rowsRead.Add(1)
}
