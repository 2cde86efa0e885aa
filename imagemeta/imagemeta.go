// Package imagemeta removes metadata (EXIF with its GPS position, camera model
// and time, XMP, comments, text chunks) from uploaded JPEG and PNG photos without
// re-encoding them: the compressed image data is copied byte for byte, so the
// picture is exactly what the person sent, less what it said about them.
package imagemeta

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
)

// ErrMalformed means the bytes are not a well-formed JPEG or PNG stream.
var ErrMalformed = errors.New("imagemeta: malformed image")

// Strip returns the image without its metadata. JPEG and PNG are recognised by
// content; anything else is returned unchanged (ok=false).
func Strip(b []byte) (out []byte, ok bool, err error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8}):
		out, err = stripJPEG(b)
	case bytes.HasPrefix(b, pngSignature):
		out, err = stripPNG(b)
	default:
		return b, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	return out, true, nil
}

// JPEG markers kept before the image data: APP0 (JFIF), APP2 when it carries an
// ICC colour profile, and APP14 (Adobe: tells how to read the colour channels).
// Every other APPn (APP1 EXIF and XMP, APP13 Photoshop/IPTC …) and COM is dropped.
const (
	markerSOS  = 0xDA
	markerEOI  = 0xD9
	markerCOM  = 0xFE
	markerAPP0 = 0xE0
	markerAPP2 = 0xE2
	markerAP14 = 0xEE
	markerAP15 = 0xEF
)

var iccPrefix = []byte("ICC_PROFILE\x00")

func keepJPEGSegment(marker byte, payload []byte) bool {
	switch {
	case marker == markerCOM:
		return false
	case marker == markerAPP0, marker == markerAP14:
		return true
	case marker == markerAPP2:
		return bytes.HasPrefix(payload, iccPrefix)
	case marker > markerAPP0 && marker <= markerAP15:
		return false
	}
	return true // tables, frame headers, restart intervals …
}

// stripJPEG walks the segments up to the start of scan, drops the metadata ones
// and copies the rest, scan data included, as it is.
func stripJPEG(b []byte) ([]byte, error) {
	out := make([]byte, 0, len(b))
	out = append(out, 0xFF, 0xD8)
	i := 2
	for {
		// Markers may be preceded by fill bytes 0xFF.
		if i >= len(b) || b[i] != 0xFF {
			return nil, ErrMalformed
		}
		for i < len(b) && b[i] == 0xFF {
			i++
		}
		if i >= len(b) {
			return nil, ErrMalformed
		}
		marker := b[i]
		i++
		switch {
		case marker == markerEOI:
			return append(out, 0xFF, markerEOI), nil
		case marker >= 0xD0 && marker <= 0xD7, marker == 0x01:
			out = append(out, 0xFF, marker) // no length
			continue
		}
		if i+2 > len(b) {
			return nil, ErrMalformed
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		if n < 2 || i+n > len(b) {
			return nil, ErrMalformed
		}
		payload := b[i+2 : i+n]
		if keepJPEGSegment(marker, payload) {
			out = append(out, 0xFF, marker)
			out = append(out, b[i:i+n]...)
		}
		i += n
		if marker == markerSOS {
			// Entropy-coded data and everything after it (more scans of a progressive
			// image, trailing EOI) is image data: copied whole.
			return append(out, b[i:]...), nil
		}
	}
}

var pngSignature = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}

// PNG chunks dropped: EXIF, text (which holds XMP and comments) and the time of
// last change. Colour chunks (gAMA, cHRM, sRGB, iCCP) and the image stay.
var pngDropped = map[string]bool{"eXIf": true, "tEXt": true, "zTXt": true, "iTXt": true, "tIME": true}

func stripPNG(b []byte) ([]byte, error) {
	out := make([]byte, 0, len(b))
	out = append(out, pngSignature...)
	i := len(pngSignature)
	for {
		if i+8 > len(b) {
			return nil, ErrMalformed
		}
		n := int(binary.BigEndian.Uint32(b[i:]))
		kind := string(b[i+4 : i+8])
		end := i + 12 + n
		if n < 0 || end > len(b) || end < i {
			return nil, ErrMalformed
		}
		if crc32.ChecksumIEEE(b[i+4:i+8+n]) != binary.BigEndian.Uint32(b[i+8+n:end]) {
			return nil, ErrMalformed
		}
		if !pngDropped[kind] {
			out = append(out, b[i:end]...)
		}
		i = end
		if kind == "IEND" {
			return out, nil
		}
	}
}
