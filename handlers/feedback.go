package handlers

import (
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// feedbackBody is the JSON body of POST /api/v1/feedback (a multipart body has
// the same fields as form values, plus the photos in "images").
type feedbackBody struct {
	RegistrationID int64  `json:"registration_id"`
	PlanNo         string `json:"plan_no"`
	Category       string `json:"category"`
	Content        string `json:"content"`
	ContactPref    string `json:"contact_pref"`
	ContactPhone   string `json:"contact_phone"`
	Anonymous      bool   `json:"anonymous"`
}

// imagesField is the multipart field of feedback photos.
const imagesField = "images"

// CreateFeedback is POST /api/v1/feedback: 外部督导情况反馈, as JSON or as
// multipart/form-data with up to three photos in "images" → 201 Feedback.
func (h *Handlers) CreateFeedback(c echo.Context) error {
	in := core.FeedbackInput{CandidateID: CandidateID(c)}
	if isMultipart(c) {
		if err := h.parseImages(c); err != nil {
			return err
		}
		if err := bindFeedbackForm(c, &in); err != nil {
			return err
		}
		images, closeAll, err := h.openImages(c)
		defer closeAll()
		if err != nil {
			return err
		}
		in.Images = images
	} else {
		var b feedbackBody
		if err := BindJSON(c, &b); err != nil {
			return err
		}
		in.RegistrationID, in.PlanNo, in.Category, in.Content = b.RegistrationID, b.PlanNo, b.Category, b.Content
		in.ContactPref, in.ContactPhone, in.Anonymous = b.ContactPref, b.ContactPhone, b.Anonymous
	}
	v, err := h.Core.SubmitFeedback(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

func isMultipart(c echo.Context) bool {
	return strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm)
}

// parseImages parses a multipart body that carries at most three photos.
func (h *Handlers) parseImages(c echo.Context) error {
	limit := h.Core.FeedbackImageBytes()
	return parseMultipart(c, limit*domain.MaxFeedbackImages, h.Core.ImageTooLarge(),
		errNotMultipart(imagesField, imagesField))
}

// bindFeedbackForm reads the text fields of a multipart feedback.
func bindFeedbackForm(c echo.Context, in *core.FeedbackInput) error {
	var fe []domain.FieldError
	if s := strings.TrimSpace(c.FormValue("registration_id")); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			fe = append(fe, domain.FieldError{Field: "registration_id", Code: "invalid_id", Message: "报名记录编号不正确"})
		}
		in.RegistrationID = n
	}
	switch strings.ToLower(strings.TrimSpace(c.FormValue("anonymous"))) {
	case "", "false", "0", "off":
	case "true", "1", "on":
		in.Anonymous = true
	default:
		fe = append(fe, domain.FieldError{Field: "anonymous", Code: "invalid_bool", Message: "是否匿名须为 true 或 false"})
	}
	in.PlanNo, in.Category, in.Content = c.FormValue("plan_no"), c.FormValue("category"), c.FormValue("content")
	in.ContactPref, in.ContactPhone = c.FormValue("contact_pref"), c.FormValue("contact_phone")
	if err := domain.FieldsError(fe); err != nil {
		return err
	}
	return nil
}

// openImages opens the photos of a parsed multipart body, refusing more than
// three or any over the size limit before reading them. Call closeAll.
func (h *Handlers) openImages(c echo.Context) (images []core.ImageUpload, closeAll func(), err error) {
	var files []*multipart.FileHeader
	if form := c.Request().MultipartForm; form != nil {
		files = form.File[imagesField]
	}
	var opened []multipart.File
	closeAll = func() {
		for _, f := range opened {
			f.Close()
		}
	}
	if len(files) > domain.MaxFeedbackImages {
		return nil, closeAll, core.TooManyImages()
	}
	for _, fh := range files {
		if fh.Size > h.Core.FeedbackImageBytes() {
			return nil, closeAll, h.Core.ImageTooLarge()
		}
		f, err := fh.Open()
		if err != nil {
			return nil, closeAll, domain.Internal(err)
		}
		opened = append(opened, f)
		images = append(images, core.ImageUpload{FileName: fh.Filename, Body: f})
	}
	return images, closeAll, nil
}

// ListFeedback is GET /api/v1/feedback: the candidate's feedback, newest first,
// with the supervisor's status and reply.
func (h *Handlers) ListFeedback(c echo.Context) error {
	var fe []domain.FieldError
	q := core.ListQuery{Page: queryInt(c, "page", "页码", &fe), PageSize: queryInt(c, "page_size", "每页条数", &fe)}
	if err := domain.FieldsError(fe); err != nil {
		return err
	}
	page, err := h.Core.ListFeedback(c.Request().Context(), CandidateID(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// GetFeedback is GET /api/v1/feedback/{id}.
func (h *Handlers) GetFeedback(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	v, err := h.Core.GetFeedback(c.Request().Context(), CandidateID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// AddFeedbackImages is POST /api/v1/feedback/{id}/images (multipart, photos in
// "images"): more photos for a feedback just sent → 201 Feedback.
func (h *Handlers) AddFeedbackImages(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.parseImages(c); err != nil {
		return err
	}
	images, closeAll, err := h.openImages(c)
	defer closeAll()
	if err != nil {
		return err
	}
	v, err := h.Core.AddFeedbackImages(c.Request().Context(), CandidateID(c), id, images)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

// FeedbackImage is GET /api/v1/feedback/{id}/images/{iid}: a photo of one of
// the candidate's feedback.
func (h *Handlers) FeedbackImage(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	iid, err := PathID(c, "iid")
	if err != nil {
		return err
	}
	f, err := h.Core.OpenOwnFeedbackImage(c.Request().Context(), CandidateID(c), id, iid)
	if err != nil {
		return err
	}
	return SendAttachment(c, f)
}
