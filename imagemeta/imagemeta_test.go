package imagemeta

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"testing"

	"github.com/rwcarlsen/goexif/exif"
)

// gpsTIFF is an EXIF block (TIFF, little-endian) whose GPS IFD places the photo
// in Guangzhou: 23°7'30"N 113°15'0"E.
func gpsTIFF() []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	w := func(v any) { _ = binary.Write(&b, le, v) }
	b.WriteString("II")
	w(uint16(42))
	w(uint32(8))
	// IFD0: one entry pointing at the GPS IFD (offset 26).
	w(uint16(1))
	w(uint16(0x8825))
	w(uint16(4))
	w(uint32(1))
	w(uint32(26))
	w(uint32(0))
	// GPS IFD at 26: four entries, rationals from 80.
	w(uint16(4))
	entry := func(tag, typ uint16, count, value uint32) { w(tag); w(typ); w(count); w(value) }
	entry(1, 2, 2, uint32('N'))
	entry(2, 5, 3, 80)
	entry(3, 2, 2, uint32('E'))
	entry(4, 5, 3, 104)
	w(uint32(0))
	for _, r := range [][2]uint32{{23, 1}, {7, 1}, {30, 1}, {113, 1}, {15, 1}, {0, 1}} {
		w(r[0])
		w(r[1])
	}
	return b.Bytes()
}

func picture() image.Image {
	im := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for y := 0; y < 30; y++ {
		for x := 0; x < 40; x++ {
			im.Set(x, y, color.RGBA{uint8(x * 6), uint8(y * 8), 120, 255})
		}
	}
	return im
}

func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

// jpegWithGPS is a JPEG carrying EXIF with GPS, XMP, a comment and an ICC profile.
func jpegWithGPS(t *testing.T) []byte {
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, picture(), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	b := enc.Bytes()
	var out []byte
	out = append(out, b[:2]...)
	out = append(out, segment(0xE1, append([]byte("Exif\x00\x00"), gpsTIFF()...))...)
	out = append(out, segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>iPhone 15</x:xmpmeta>"))...)
	out = append(out, segment(0xFE, []byte("shot at 广州市天河区"))...)
	out = append(out, segment(0xE2, append([]byte("ICC_PROFILE\x00"), 1, 1, 'p', 'r', 'o', 'f'))...)
	return append(out, b[2:]...)
}

func TestStripJPEGRemovesGPSKeepsPixels(t *testing.T) {
	in := jpegWithGPS(t)
	// A real EXIF reader finds the position before.
	x, err := exif.Decode(bytes.NewReader(in))
	if err != nil {
		t.Fatalf("fixture has no EXIF: %v", err)
	}
	lat, long, err := x.LatLong()
	if err != nil || lat < 23.12 || lat > 23.13 || long != 113.25 {
		t.Fatalf("fixture GPS: %v %v %v", lat, long, err)
	}
	out, ok, err := Strip(in)
	if err != nil || !ok {
		t.Fatalf("strip: %v %v", ok, err)
	}
	if _, err := exif.Decode(bytes.NewReader(out)); err == nil {
		t.Fatal("EXIF still readable after strip")
	}
	for _, s := range []string{"Exif", "xmpmeta", "iPhone", "天河区"} {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("%q left in the stripped image", s)
		}
	}
	if !bytes.Contains(out, []byte("ICC_PROFILE")) {
		t.Error("the colour profile was dropped")
	}
	// Not re-encoded: the image data is the same bytes, and decodes to the same pixels.
	sos := bytes.Index(in, []byte{0xFF, 0xDA})
	if !bytes.HasSuffix(out, in[sos:]) {
		t.Error("scan data changed")
	}
	a, _ := jpeg.Decode(bytes.NewReader(in))
	b, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("stripped JPEG does not decode: %v", err)
	}
	if !samePixels(a, b) {
		t.Error("pixels changed")
	}
}

func chunk(kind string, data []byte) []byte {
	c := make([]byte, 8, 12+len(data))
	binary.BigEndian.PutUint32(c, uint32(len(data)))
	copy(c[4:], kind)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

func TestStripPNG(t *testing.T) {
	var enc bytes.Buffer
	if err := png.Encode(&enc, picture()); err != nil {
		t.Fatal(err)
	}
	b := enc.Bytes()
	ihdrEnd := 8 + 12 + 13
	var in []byte
	in = append(in, b[:ihdrEnd]...)
	in = append(in, chunk("eXIf", gpsTIFF())...)
	in = append(in, chunk("tEXt", []byte("Comment\x00广州市天河区"))...)
	in = append(in, chunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta/>"))...)
	in = append(in, chunk("gAMA", []byte{0, 0, 0xB1, 0x8F})...)
	in = append(in, b[ihdrEnd:]...)
	out, ok, err := Strip(in)
	if err != nil || !ok {
		t.Fatalf("strip: %v %v", ok, err)
	}
	for _, s := range []string{"eXIf", "tEXt", "iTXt", "天河区", "xmpmeta"} {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("%q left in the stripped PNG", s)
		}
	}
	if !bytes.Contains(out, []byte("gAMA")) {
		t.Error("gAMA dropped")
	}
	a, _ := png.Decode(bytes.NewReader(in))
	c, err := png.Decode(bytes.NewReader(out))
	if err != nil || !samePixels(a, c) {
		t.Fatalf("stripped PNG: %v", err)
	}
}

func TestStripRefusesMalformed(t *testing.T) {
	good := jpegWithGPS(t)
	for name, b := range map[string][]byte{
		"jpeg cut in a header": good[:30],
		"jpeg bad length":      append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF}, 1, 2, 3),
		"png bad crc":          append(append([]byte{}, pngSignature...), 0, 0, 0, 1, 't', 'E', 'X', 't', 'x', 0, 0, 0, 0),
		"png no IEND":          append([]byte{}, pngSignature...),
	} {
		if _, _, err := Strip(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	pdf := []byte("%PDF-1.7\n")
	if out, ok, err := Strip(pdf); ok || err != nil || !bytes.Equal(out, pdf) {
		t.Errorf("pdf: %v %v", ok, err)
	}
}

func FuzzStrip(f *testing.F) {
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xD9})
	f.Add(append([]byte{}, pngSignature...))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, ok, err := Strip(b)
		if err == nil && ok && len(out) > len(b) {
			t.Fatalf("output grew: %d > %d", len(out), len(b))
		}
	})
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// TestFixtureFile keeps testdata/gps.jpg (used by the upload tests of other
// packages) equal to what jpegWithGPS makes; SKILLCERT_WRITE_FIXTURES=1 rewrites it.
func TestFixtureFile(t *testing.T) {
	want := jpegWithGPS(t)
	if os.Getenv("SKILLCERT_WRITE_FIXTURES") == "1" {
		if err := os.WriteFile("testdata/gps.jpg", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("testdata/gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	x, err := exif.Decode(bytes.NewReader(got))
	if err != nil {
		t.Fatalf("testdata/gps.jpg has no EXIF: %v", err)
	}
	if _, _, err := x.LatLong(); err != nil {
		t.Fatalf("testdata/gps.jpg has no GPS: %v", err)
	}
}
