package console_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"runtime"
	"testing"

	"skillcert/internal/testenv"
)

// bombXLSX is a valid workbook whose xl/styles.xml is replaced by an entry of
// size bytes of zeros (a multiple of 1 MiB) compressed to about size/1000: the
// deflate stream is one flushed 1 MiB block repeated, so building it costs
// nothing like its unzipped size.
func bombXLSX(t *testing.T, base []byte, size int64) []byte {
	t.Helper()
	const chunk = 1 << 20
	zeros := make([]byte, chunk)
	var block bytes.Buffer
	fw, _ := flate.NewWriter(&block, flate.BestCompression)
	fw.Write(zeros)
	fw.Flush()
	var final bytes.Buffer
	fw2, _ := flate.NewWriter(&final, flate.BestCompression)
	fw2.Close()
	crc := uint32(0)
	var stream bytes.Buffer
	for n := int64(0); n < size; n += chunk {
		stream.Write(block.Bytes())
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	stream.Write(final.Bytes())

	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name == "xl/styles.xml" {
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/styles.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(stream.Len()), UncompressedSize64: uint64(size)})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(stream.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A 1 MB results.xlsx holding a 1 GiB entry is refused with a message, and the
// server's memory does not grow by its unzipped size (under 100 MB allocated).
func TestResultsImportRefusesDecompressionBomb(t *testing.T) {
	w := newWorld(t, testenv.NewDSN(t, "sqlite"), nil)
	id, _ := openPlan(t, w, "BOMB-1", testenv.Registrant{Name: "王小明", IDNumber: "11010519491231002X"})
	page := "/console/plans/" + id + "/results"
	// Results are taken once the evaluation has begun.
	if _, err := w.app.DB.W.Exec("UPDATE plans SET eval_start = '2020-01-01' WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	base := xlsxOf(t, [][]any{{"证件号码", "姓名", "理论"}, {"11010519491231002X", "王小明", "合格"}})
	bomb := bombXLSX(t, base, 1<<30)
	if len(bomb) > 2<<20 {
		t.Fatalf("bomb of %d bytes: over the upload limit", len(bomb))
	}
	w.a.Get(t, page)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	p := postFile(t, w.a, page, "results.xlsx", bomb)
	runtime.ReadMemStats(&after)
	must(t, p, 400, "文件解压后过大")
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 100<<20 {
		t.Fatalf("the bomb made the server allocate %d MB", grown>>20)
	}

	// The row cap holds for .xlsx too.
	rows := [][]any{{"证件号码", "姓名", "理论"}}
	for i := 0; i < 5001; i++ {
		rows = append(rows, []any{"11010519491231002X", "王小明", "合格"})
	}
	must(t, postFile(t, w.a, page, "many.xlsx", xlsxOf(t, rows)), 400, "一次最多导入5000行")
}
