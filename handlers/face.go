package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"skillcert/core"
)

// StartFaceVerification is POST /api/v1/me/face-verification: open a face
// verification session (人脸核身) for the bound identity (empty body) or for the
// identity given (name, id_type, id_number, privacy_consent, consent_version),
// which may be an ID number bound to another, unverified account. The answer's
// verify_id goes to wx.requestFacialVerify. At most 5 a day per candidate and per
// ID number (429 face_rate_limited).
func (h *Handlers) StartFaceVerification(c echo.Context) error {
	var req core.FaceStartInput
	if c.Request().ContentLength != 0 {
		if err := BindJSON(c, &req); err != nil {
			return err
		}
	}
	res, err := h.Core.StartFaceVerification(c.Request().Context(), CandidateID(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// faceFinishRequest is the body of POST /api/v1/me/face-verification/result.
type faceFinishRequest struct {
	VerifyID string `json:"verify_id"`
}

// FinishFaceVerification is POST /api/v1/me/face-verification/result {verify_id}:
// after wx.requestFacialVerify, the server asks WeChat for the true result and
// applies it. 200 with result passed | failed | mismatch | not_done; a verify id
// that is unknown is 404, already finished 409, expired 400.
func (h *Handlers) FinishFaceVerification(c echo.Context) error {
	var req faceFinishRequest
	if err := BindJSON(c, &req); err != nil {
		return err
	}
	res, err := h.Core.FinishFaceVerification(c.Request().Context(), CandidateID(c), req.VerifyID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
