//go:build ocr_onnx

package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"path/filepath"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/milepost/milepost/ocr/internal/ppocr"
)

// ONNX is the engine running PaddleOCR's PP-OCRv4 detection and recognition models on ONNX
// Runtime (cgo; built with the ocr_onnx tag). Create it with NewONNX; it loads the runtime
// and models on first use and is safe for concurrent use. Close frees the models.
type ONNX struct {
	cfg ONNXConfig

	once     sync.Once
	availErr error
	det, rec *ort.DynamicAdvancedSession
	dict     *ppocr.Dict
}

// NewONNX returns the engine for cfg (see ONNXConfigFromEnv). Nothing is loaded until
// Available or Read is called.
func NewONNX(cfg ONNXConfig) *ONNX { return &ONNX{cfg: cfg} }

// Name returns "onnx".
func (e *ONNX) Name() string { return "onnx" }

// The ONNX Runtime environment is one per process, whatever the number of engines.
var (
	ortMu  sync.Mutex
	ortLib string
)

func initORT(lib string) error {
	ortMu.Lock()
	defer ortMu.Unlock()
	if ortLib != "" {
		if ortLib != lib {
			return fmt.Errorf("onnx: runtime already loaded from %s, cannot load %s", ortLib, lib)
		}
		return nil
	}
	ort.SetSharedLibraryPath(lib)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		return fmt.Errorf("%w: onnx: load runtime %s: %v", ErrUnavailable, lib, err)
	}
	ortLib = lib
	return nil
}

// Available loads, once, the runtime, both models and the dictionary, and reports what is
// missing or failed.
func (e *ONNX) Available() error {
	e.once.Do(func() { e.availErr = e.load() })
	return e.availErr
}

func (e *ONNX) load() error {
	if err := e.cfg.missing(); err != nil {
		return err
	}
	if err := initORT(e.cfg.Library); err != nil {
		return err
	}
	dict, err := ppocr.LoadDict(filepath.Join(e.cfg.Models, KeysFile))
	if err != nil {
		return fmt.Errorf("%w: onnx: %v", ErrUnavailable, err)
	}
	e.dict = dict
	if e.det, err = e.session(DetModelFile); err != nil {
		return err
	}
	if e.rec, err = e.session(RecModelFile); err != nil {
		e.det.Destroy()
		return err
	}
	return nil
}

// session opens a model with its only input and output.
func (e *ONNX) session(file string) (*ort.DynamicAdvancedSession, error) {
	path := filepath.Join(e.cfg.Models, file)
	ins, outs, err := ort.GetInputOutputInfo(path)
	if err != nil || len(ins) != 1 || len(outs) != 1 {
		return nil, fmt.Errorf("%w: onnx: model %s: want one input and one output (%v)", ErrUnavailable, path, err)
	}
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("onnx: session options: %w", err)
	}
	defer opts.Destroy()
	if e.cfg.Threads > 0 {
		if err := opts.SetIntraOpNumThreads(e.cfg.Threads); err != nil {
			return nil, fmt.Errorf("onnx: threads: %w", err)
		}
		if err := opts.SetInterOpNumThreads(1); err != nil {
			return nil, fmt.Errorf("onnx: threads: %w", err)
		}
	}
	s, err := ort.NewDynamicAdvancedSession(path, []string{ins[0].Name}, []string{outs[0].Name}, opts)
	if err != nil {
		return nil, fmt.Errorf("%w: onnx: load %s: %v", ErrUnavailable, path, err)
	}
	return s, nil
}

// Close frees the models. The engine must not be used afterwards.
func (e *ONNX) Close() error {
	var errs []error
	if e.det != nil {
		errs = append(errs, e.det.Destroy())
	}
	if e.rec != nil {
		errs = append(errs, e.rec.Destroy())
	}
	return errors.Join(errs...)
}

// maxRecWidth bounds a recognised line's width in model pixels (about 40 characters).
const maxRecWidth = 48 * 30

// Read detects text boxes with the DB model and recognises each, or recognises img as one line
// when opt.SingleLine. Recognition runs on crops of the full-resolution picture: detection
// sees at most 960 pixels, recognition every pixel the camera took.
func (e *ONNX) Read(ctx context.Context, img image.Image, opt Options) ([]Line, error) {
	if err := e.Available(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("onnx: %w", err)
	}
	allowed := e.dict.Allowed(opt.Charset)
	if opt.SingleLine {
		text, conf, err := e.recognize(img, allowed)
		if err != nil || text == "" {
			return nil, err
		}
		return []Line{{Text: text, Confidence: conf, Box: img.Bounds()}}, nil
	}
	boxes, err := e.detect(img)
	if err != nil {
		return nil, err
	}
	var lines []Line
	for _, b := range boxes {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("onnx: %w", err)
		}
		q := b.Quad
		for i := range q {
			q[i] = q[i].Add(img.Bounds().Min)
		}
		text, conf, err := e.recognize(ppocr.Crop(img, q), allowed)
		if err != nil {
			return nil, err
		}
		if text != "" {
			lines = append(lines, Line{Text: text, Confidence: conf, Box: q.Bounds().Intersect(img.Bounds())})
		}
	}
	return lines, nil
}

func (e *ONNX) detect(img image.Image) ([]ppocr.Box, error) {
	p := ppocr.DefaultDetParams()
	in := ppocr.NewDetInput(img, p.MaxSide)
	out, err := e.run(e.det, ort.NewShape(1, 3, int64(in.H), int64(in.W)), in.Data)
	if err != nil {
		return nil, fmt.Errorf("onnx: detect: %w", err)
	}
	defer out.Destroy()
	if got := out.GetShape(); len(got) != 4 || got[2] != int64(in.H) || got[3] != int64(in.W) {
		return nil, fmt.Errorf("onnx: detect: unexpected output shape %v", got)
	}
	return ppocr.DetBoxes(out.GetData(), in, p), nil
}

func (e *ONNX) recognize(crop image.Image, allowed []bool) (string, float64, error) {
	in := ppocr.NewRecInput(crop, maxRecWidth)
	out, err := e.run(e.rec, ort.NewShape(1, 3, ppocr.RecHeight, int64(in.W)), in.Data)
	if err != nil {
		return "", 0, fmt.Errorf("onnx: recognize: %w", err)
	}
	defer out.Destroy()
	s := out.GetShape()
	if len(s) != 3 || int(s[2]) != e.dict.Classes() {
		return "", 0, fmt.Errorf("onnx: recognize: output shape %v does not match the %d-class dictionary", s, e.dict.Classes())
	}
	text, conf := e.dict.Decode(out.GetData(), int(s[1]), int(s[2]), allowed)
	return text, conf, nil
}

// run feeds one float tensor to a session and returns its output, which the caller destroys.
func (e *ONNX) run(s *ort.DynamicAdvancedSession, shape ort.Shape, data []float32) (*ort.Tensor[float32], error) {
	in, err := ort.NewTensor(shape, data)
	if err != nil {
		return nil, err
	}
	defer in.Destroy()
	outs := []ort.Value{nil}
	if err := s.Run([]ort.Value{in}, outs); err != nil {
		return nil, err
	}
	t, ok := outs[0].(*ort.Tensor[float32])
	if !ok {
		outs[0].Destroy()
		return nil, fmt.Errorf("output is %T, want float32 tensor", outs[0])
	}
	return t, nil
}

var _ Engine = (*ONNX)(nil)
