package testenv

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// Real, small photos for upload tests: uploads of photos are parsed (their
// metadata is removed), so a file that only starts like a PNG is refused.
var (
	SamplePNG  = encodePNG()
	SampleJPEG = encodeJPEG()
)

func sampleImage() image.Image {
	im := image.NewRGBA(image.Rect(0, 0, 16, 12))
	for y := 0; y < 12; y++ {
		for x := 0; x < 16; x++ {
			im.Set(x, y, color.RGBA{uint8(x * 16), uint8(y * 20), 90, 255})
		}
	}
	return im
}

func encodePNG() []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, sampleImage()); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func encodeJPEG() []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, sampleImage(), &jpeg.Options{Quality: 80}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// PaddedPNG returns a valid PNG of exactly n bytes (n ≥ len(SamplePNG)+12): the
// sample picture with a private ancillary chunk ("prVt", kept by the metadata
// stripper) that fills it up.
func PaddedPNG(n int) []byte {
	iend := len(SamplePNG) - 12 // the IEND chunk is the last 12 bytes
	pad := n - len(SamplePNG) - 12
	if pad < 0 {
		panic("PaddedPNG: n too small")
	}
	chunk := make([]byte, 8, 12+pad)
	binary.BigEndian.PutUint32(chunk, uint32(pad))
	copy(chunk[4:], "prVt")
	chunk = append(chunk, bytes.Repeat([]byte{7}, pad)...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := append(append([]byte{}, SamplePNG[:iend]...), chunk...)
	return append(out, SamplePNG[iend:]...)
}
