#!/usr/bin/env bash
# Starts a throwaway S3-compatible server on loopback for the blob store's tests (docs/storage.md).
#
# The server is versitygw, built from the Go module proxy (Debian packages no S3 server) into
# .tools/bin/ (gitignored), only when that binary is missing or another version. It runs its POSIX
# backend on a fresh temporary directory, listens on a free 127.0.0.1 port and gets random keys.
#
# Prints the environment to stdout as `export` lines, so `eval "$(scripts/setup-s3.sh)"` sets
# MILEPOST_TEST_S3_URL (what the tests read), MILEPOST_TEST_S3_PID and MILEPOST_TEST_S3_DIR;
# progress goes to stderr. The server outlives this script: the caller stops it, e.g.
#   trap 'scripts/setup-s3.sh --stop' EXIT      (reads the two variables above)
# Options: --build-only builds (or checks) the binary and starts nothing; --stop stops the server
# named by MILEPOST_TEST_S3_PID and removes MILEPOST_TEST_S3_DIR.
# A cold build takes about two minutes; with the binary in place the script takes under a second.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSITYGW_VERSION=v1.8.0
VERSITYGW_MOD=github.com/versity/versitygw
BIN_DIR="$PWD/.tools/bin"
BIN="$BIN_DIR/versitygw"
BUILD_TIMEOUT=${MILEPOST_S3_BUILD_TIMEOUT:-900} # seconds; a cold build downloads ~200 modules
START_TIMEOUT=30                                # seconds for the server to answer HTTP
BUCKET=milepost-test

log() { printf 'setup-s3: %s\n' "$*" >&2; }
die() { printf 'setup-s3: %s\n' "$*" >&2; exit 1; }

# stop_server stops the server this script started earlier. It checks that the PID still names a
# versitygw process, so a stale variable never kills an unrelated process that reused the PID.
stop_server() {
  local pid=${MILEPOST_TEST_S3_PID:-} dir=${MILEPOST_TEST_S3_DIR:-}
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q versitygw; then
      kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      log "stopped versitygw (pid $pid)"
    else
      log "pid $pid is not versitygw; not stopping it"
    fi
  fi
  case "$dir" in
    */milepost-s3.*) rm -rf "$dir" ;; # only directories this script made
  esac
}

installed_version() {
  [ -x "$BIN" ] || return 0
  # The module version is recorded in the binary; this also rejects a truncated file.
  go version -m "$BIN" 2>/dev/null | awk -v m="$VERSITYGW_MOD" '$1 == "mod" && $2 == m { print $3 }'
}

build() {
  local have
  have=$(installed_version)
  if [ "$have" = "$VERSITYGW_VERSION" ]; then
    return 0
  fi
  command -v go >/dev/null || die "Go is not installed (https://go.dev/dl/)"
  log "building versitygw $VERSITYGW_VERSION into $BIN_DIR (a cold build takes about two minutes)"
  mkdir -p "$BIN_DIR"
  local start=$SECONDS
  # CGO_ENABLED=0: a static binary, no C toolchain needed. GOFLAGS cleared so a caller's
  # -mod=vendor or similar cannot break an install outside our module.
  if ! GOBIN="$BIN_DIR" CGO_ENABLED=0 GOFLAGS= timeout "$BUILD_TIMEOUT" \
    go install "$VERSITYGW_MOD/cmd/versitygw@$VERSITYGW_VERSION" >&2; then
    die "go install $VERSITYGW_MOD/cmd/versitygw@$VERSITYGW_VERSION failed or took over ${BUILD_TIMEOUT}s"
  fi
  [ "$(installed_version)" = "$VERSITYGW_VERSION" ] || die "built $BIN but it does not report $VERSITYGW_VERSION"
  log "built versitygw in $((SECONDS - start))s"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# answers succeeds once something speaks HTTP on the port (an S3 server says 403 to an
# unsigned request, which is enough: it is up and parsing requests).
answers() {
  if command -v curl >/dev/null; then
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/" 2>/dev/null) || true
    [ -n "$code" ] && [ "$code" != 000 ]
  else
    port_open "$1"
  fi
}

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

case "${1:-}" in
  --stop) stop_server; exit 0 ;;
  --build-only) build; log "versitygw $VERSITYGW_VERSION at $BIN"; exit 0 ;;
  "") ;;
  *) die "unknown option $1 (use --build-only or --stop)" ;;
esac
[ $# -le 1 ] || die "too many arguments"

build

# Hex keys need no escaping in the URL; the secret is 40 characters like AWS's.
ACCESS_KEY=$(random_hex 10)
SECRET_KEY=$(random_hex 20)
DIR=$(mktemp -d "${TMPDIR:-/tmp}/milepost-s3.XXXXXX")
mkdir "$DIR/data"

started=""
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 40000))
  port_open "$port" && continue
  # setsid and closed stdio: the server must not hold the caller's stdout open (that would hang
  # `eval "$(...)"`), nor die with this script's process group.
  setsid "$BIN" --access "$ACCESS_KEY" --secret "$SECRET_KEY" --port "127.0.0.1:$port" \
    posix "$DIR/data" </dev/null >"$DIR/versitygw.log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + START_TIMEOUT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      break # exited: most likely the port was taken between the check and the bind
    fi
    if answers "$port"; then
      started=1
      break
    fi
    sleep 0.1
  done
  [ -n "$started" ] && break
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    cat "$DIR/versitygw.log" >&2
    rm -rf "$DIR"
    die "versitygw did not answer on 127.0.0.1:$port within ${START_TIMEOUT}s"
  fi
  log "versitygw exited on port $port (attempt $attempt):"
  cat "$DIR/versitygw.log" >&2
done
if [ -z "$started" ]; then
  rm -rf "$DIR"
  die "versitygw did not start; see the log above"
fi

log "versitygw $VERSITYGW_VERSION on 127.0.0.1:$port (pid $pid, data in $DIR)"
printf 'export MILEPOST_TEST_S3_URL=%q\n' "s3://$ACCESS_KEY:$SECRET_KEY@127.0.0.1:$port/$BUCKET?region=us-east-1&tls=false"
printf 'export MILEPOST_TEST_S3_PID=%q\n' "$pid"
printf 'export MILEPOST_TEST_S3_DIR=%q\n' "$DIR"
printf '# stop it with: scripts/setup-s3.sh --stop   (or: kill %s; rm -rf %q)\n' "$pid" "$DIR"
printf "# e.g. trap 'scripts/setup-s3.sh --stop' EXIT\n"
