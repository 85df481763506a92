#!/usr/bin/env bash
# Installs the browser the review console's browser tests drive (cmd/milepost/console_browser_test.go):
# Debian's chromium, idempotently. chromedp talks to it over the DevTools protocol, so no
# chromedriver is needed.
#
# Prints the environment to stdout as an `export` line, so `eval "$(scripts/setup-browser.sh)"`
# sets it; progress goes to stderr. When chromium is there it only checks (well under a second).
set -euo pipefail

log() { printf 'setup-browser: %s\n' "$*" >&2; }
die() { printf 'setup-browser: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"
  fi
}

find_chromium() {
  local c
  for c in "${MILEPOST_CHROMIUM:-}" /usr/bin/chromium "$(command -v chromium 2>/dev/null || true)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

if ! chromium=$(find_chromium); then
  command -v apt-get >/dev/null || die "chromium is missing and apt-get is not available: install Chromium and set MILEPOST_CHROMIUM"
  export DEBIAN_FRONTEND=noninteractive
  log "installing chromium from Debian"
  as_root apt-get update -qq >&2 || die "apt-get update failed"
  as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null || die "apt-get install chromium failed"
  chromium=$(find_chromium) || die "chromium was installed but is not at /usr/bin/chromium"
fi

# Debian's wrapper script prints a harmless "[: …: unexpected operator" line on stderr; the
# version check below hides it.
version=$("$chromium" --version 2>/dev/null || true)
[ -n "$version" ] || die "$chromium does not run"
log "using $version ($chromium)"
echo "export MILEPOST_CHROMIUM=$chromium"
