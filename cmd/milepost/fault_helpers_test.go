package main

// Helpers of the fault tests (fault_e2e_test.go): the server as a subprocess that can be killed,
// a throwaway PostgreSQL cluster that can be stopped and started, and a small tmpfs that can be
// filled.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/milepost/milepost/vin"
)

// ciRequired reports whether a missing prerequisite is a failure rather than a skip.
func ciRequired() bool { return os.Getenv("CI") == "true" }

// skipOrFail skips the test, or fails it when CI=true (the fault tests must run in CI).
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if ciRequired() {
		t.Fatalf("CI=true: "+format, args...)
	}
	t.Skipf(format, args...)
}

// buildMilepost builds this command into a temporary directory and returns the binary's path.
func buildMilepost(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "milepost")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// syncBuffer is a bytes.Buffer safe for a subprocess's output and the test reading it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serverProc is `milepost serve` running as a subprocess.
type serverProc struct {
	cmd    *exec.Cmd
	url    string
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan struct{}
}

// startServerProc runs `milepost serve` on a free loopback port with extra flags and waits until
// /readyz answers 200. The process is killed when the test ends if it still runs.
func startServerProc(t *testing.T, bin string, flags ...string) *serverProc {
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	args := append([]string{"serve", "--addr", addr, "--log-level", "warn", "--log-format", "text",
		"--ocr", "off", "--job-poll", "100ms"}, flags...)
	p := &serverProc{cmd: exec.Command(bin, args...), url: "http://" + addr, stdout: &syncBuffer{}, stderr: &syncBuffer{},
		done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	// The load comes from one credential: no per-credential rate limit (docs/limits.md).
	p.cmd.Env = append(os.Environ(), "MILEPOST_RATE_LIMIT=0")
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("server %d stderr:\n%s", p.cmd.Process.Pid, p.stderr.String())
		}
	})
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-p.done:
			t.Fatalf("server exited before it was ready: %v\n%s", p.cmd.ProcessState, p.stderr.String())
		default:
		}
		if res, err := client.Get(p.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready after 30 s\n%s", p.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *serverProc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill: %v", err)
	}
	<-p.done
}

// terminate asks for a graceful shutdown (SIGTERM) and waits up to 40 s.
func (p *serverProc) terminate(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(40 * time.Second):
		t.Fatalf("server did not stop within 40 s of SIGTERM")
	}
}

var demoCredLine = regexp.MustCompile(`(?m)^\s*(partnerId|clientId|clientSecret):\s+(\S+)\s*$`)

// demoCreds reads the demo partner's credentials the server prints on its first start.
func (p *serverProc) demoCreds(t *testing.T) creds {
	t.Helper()
	c := creds{}
	for _, m := range demoCredLine.FindAllStringSubmatch(p.stdout.String(), -1) {
		c[m[1]] = m[2]
	}
	if len(c) != 3 {
		t.Fatalf("no demo partner credentials on stdout:\n%s", p.stdout.String())
	}
	return c
}

// rawResponse is an answer from callRaw.
type rawResponse struct {
	status int
	header http.Header
	body   []byte
}

// callRaw sends a JSON request (a form when body is url.Values) and returns the answer or the transport error, never failing the
// test: the fault tests expect transport errors while the server is down.
func callRaw(client *http.Client, method, url string, c creds, body any) (rawResponse, error) {
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case neturl.Values: // a form, as the token endpoints take
		rd, contentType = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		enc, err := json.Marshal(body)
		if err != nil {
			return rawResponse{}, err
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return rawResponse{}, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range c {
		req.Header.Set(k, v)
	}
	res, err := client.Do(req)
	if err != nil {
		return rawResponse{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return rawResponse{status: res.StatusCode, header: res.Header, body: b}, err
}

// mustCall is callRaw that fails the test on a transport error or an unexpected status, and
// decodes a JSON object answer.
func mustCall(t *testing.T, client *http.Client, method, url string, c creds, body any, status int) map[string]any {
	t.Helper()
	r, err := callRaw(client, method, url, c, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	if r.status != status {
		t.Fatalf("%s %s: status %d, want %d: %s", method, url, r.status, status, r.body)
	}
	var m map[string]any
	if len(r.body) > 0 && r.body[0] == '{' {
		if err := json.Unmarshal(r.body, &m); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, url, r.body, err)
		}
	}
	return m
}

// faultVIN returns a valid Honda VIN (right check digit) whose serial is n.
func faultVIN(t *testing.T, n int) string {
	t.Helper()
	v := []byte(fmt.Sprintf("1HGCM82633A%06d", n%1_000_000))
	d, ok := vin.CheckDigit(string(v))
	if !ok {
		t.Fatalf("no check digit for %s", v)
	}
	v[8] = d
	return string(v)
}

// sqliteFile is the SQLite database of a data dir.
func sqliteFile(dataDir string) string { return filepath.Join(dataDir, "milepost.db") }

// openStoreDB opens the database a server uses, behind its back: the SQLite file of dataDir, or
// the PostgreSQL URL when set.
func openStoreDB(t *testing.T, dataDir, url string) (*sql.DB, string) {
	t.Helper()
	if url != "" {
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, "postgres"
	}
	db, err := sql.Open("sqlite", "file:"+sqliteFile(dataDir)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, "sqlite"
}

// sqliteIntegrity runs PRAGMA integrity_check and foreign_key_check on a data dir's database.
func sqliteIntegrity(t *testing.T, dataDir string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+sqliteFile(dataDir)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("PRAGMA integrity_check")
	if err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	var results []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		results = append(results, s)
	}
	rows.Close()
	if len(results) != 1 || results[0] != "ok" {
		t.Fatalf("PRAGMA integrity_check: %v", results)
	}
	rows, err = db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatalf("foreign_key_check: %v", err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatalf("PRAGMA foreign_key_check reports violations")
	}
}

// throwawayPG is a PostgreSQL cluster of its own that a test may stop and start.
type throwawayPG struct {
	bin, dir string
	port     int
	url      string
}

// startThrowawayPG initializes and starts a PostgreSQL cluster on a free loopback port (as user
// postgres when root, as scripts/test.sh does), removed when the test ends. Without PostgreSQL's
// server binaries the test is skipped, or fails under CI=true.
func startThrowawayPG(t *testing.T) *throwawayPG {
	t.Helper()
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		if p, err := exec.LookPath("initdb"); err == nil {
			found = []string{p}
		}
	}
	if len(found) == 0 {
		skipOrFail(t, "PostgreSQL server binaries (initdb, pg_ctl) not found")
	}
	sort.Strings(found)
	pg := &throwawayPG{bin: filepath.Dir(found[len(found)-1])}
	dir, err := os.MkdirTemp("", "milepost-fault-pg-")
	if err != nil {
		t.Fatal(err)
	}
	pg.dir = dir
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			skipOrFail(t, "running as root and there is no postgres user to run PostgreSQL as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		_ = pg.run(10*time.Second, "pg_ctl", "-D", filepath.Join(dir, "data"), "-m", "immediate", "-w", "stop")
		os.RemoveAll(dir)
	})
	if err := pg.run(60*time.Second, "initdb", "-D", filepath.Join(dir, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"); err != nil {
		t.Fatalf("initdb: %v", err)
	}
	pg.port = freePort(t)
	pg.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.port)
	pg.start(t)
	return pg
}

// run runs one of PostgreSQL's programs, as user postgres when root.
func (pg *throwawayPG) run(timeout time.Duration, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	prog := filepath.Join(pg.bin, name)
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--", prog}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, prog, args...)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// start starts the cluster (again) on its port and waits until it accepts connections.
func (pg *throwawayPG) start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s -c fsync=off -c max_connections=200", pg.port, pg.dir)
	if err := pg.run(60*time.Second, "pg_ctl", "-D", filepath.Join(pg.dir, "data"), "-l", filepath.Join(pg.dir, "server.log"),
		"-w", "-t", "60", "-o", opts, "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(pg.dir, "server.log"))
		t.Fatalf("start PostgreSQL: %v\n%s", err, log)
	}
}

// stop shuts the cluster down the way an operator restarting it does (-m fast: open sessions are
// terminated, in-flight transactions rolled back).
func (pg *throwawayPG) stop(t *testing.T) {
	t.Helper()
	if err := pg.run(60*time.Second, "pg_ctl", "-D", filepath.Join(pg.dir, "data"), "-m", "fast", "-w", "stop"); err != nil {
		t.Fatalf("stop PostgreSQL: %v", err)
	}
}

// mountTmpfs mounts a tmpfs of the given size (e.g. "8m") on a fresh directory and unmounts it
// when the test ends. Not root, not Linux or a refused mount skip the test, except under
// CI=true on Linux as root, where the test must run.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("tmpfs mounts need Linux")
	}
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput()
	if err != nil {
		skipOrFail(t, "mount tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// fillDisk writes a file in dir until the filesystem is full and returns its path.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !strings.Contains(err.Error(), "no space left") {
				t.Fatalf("fill %s: %v", dir, err)
			}
			break
		}
	}
	// The last bytes: smaller writes until not even one fits.
	for _, n := range []int{4096, 512, 1} {
		for {
			if _, err := f.Write(chunk[:n]); err != nil {
				break
			}
		}
	}
	return path
}
