package photo

import (
	"bytes"
	"errors"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/docscan"
)

// pdfTrailerWindow is how far from the end the %%EOF marker may sit. Writers may append a
// newline or a little padding after it; Acrobat looks in the last 1 KiB too.
const pdfTrailerWindow = 1024

// inspectPDF checks that data is a whole PDF: the %PDF- header at the start and the %%EOF
// marker near the end, so an upload cut short is refused. Pages are not rendered; their text
// layer is read for document verification (within docscan's limits). A PDF whose text cannot
// be read — a scan, an encrypted or damaged file — is still accepted: a reviewer reads it.
func inspectPDF(data []byte, param string) (milepost.Media, error) {
	if !bytes.HasPrefix(data, pdfMagic) {
		return milepost.Media{}, milepost.Invalidf(param, "%s is not a PDF document.", param)
	}
	tail := data[max(len(pdfMagic), len(data)-pdfTrailerWindow):]
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return milepost.Media{}, milepost.Invalidf(param,
			"%s is a truncated or corrupt PDF: it does not end with the %%%%EOF marker.", param)
	}
	m := milepost.Media{ContentType: kindPDF.contentType()}
	text, err := docscan.ExtractPDFText(data, milepost.MaxDocumentText)
	if err == nil || errors.Is(err, docscan.ErrLimit) {
		m.Text = text
	}
	return m, nil
}
