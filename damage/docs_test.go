package damage

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const docPath = "../docs/damage-analysis.md"

func readDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDocDefaults keeps the table of defaults in the doc equal to DefaultOptions.
func TestDocDefaults(t *testing.T) {
	doc := readDoc(t)
	d := DefaultOptions()
	for name, v := range map[string]string{
		"Threshold":      fmt.Sprint(d.Threshold),
		"PixelThreshold": fmt.Sprint(d.PixelThreshold),
		"MinCorrelation": fmt.Sprint(d.MinCorrelation),
		"MinOverlap":     fmt.Sprint(d.MinOverlap),
		"Grid":           fmt.Sprint(d.Grid),
		"MinTexture":     fmt.Sprint(d.MinTexture),
		"Border":         fmt.Sprint(d.Border),
	} {
		if row := fmt.Sprintf("| `%s` | %s |", name, v); !strings.Contains(doc, row) {
			t.Errorf("docs/damage-analysis.md lacks the row %q", row)
		}
	}
}

// TestDocExampleAnalyzer builds the example analyzer of the doc, starts it and calls it with
// Client, so the example a partner copies keeps speaking the contract.
func TestDocExampleAnalyzer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool")
	}
	doc := readDoc(t)
	_, rest, ok := strings.Cut(doc, "## A minimal analyzer in Go")
	if !ok {
		t.Fatal("the doc has no example analyzer")
	}
	_, rest, _ = strings.Cut(rest, "```go\n")
	src, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("the example's code block is not closed")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "analyzer")
	build := exec.Command(goTool, "build", "-o", bin, "main.go")
	build.Dir = dir
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("the doc's example does not build: %v\n%s", err, out)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "-addr", addr)
	cmd.Env = append(os.Environ(), "ANALYZER_TOKEN=s3cret")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()

	c := &Client{URL: "http://" + addr + "/analyze", Token: "s3cret", Timeout: 2 * time.Second}
	var f Findings
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		if f, err = c.Analyze(context.Background(), testRequest()); err == nil || time.Since(start) > 10*time.Second {
			break
		}
	}
	if err != nil || f.Model == "" || f.DamageDetected {
		t.Fatalf("example analyzer answered %+v, %v", f, err)
	}
	c.Token = "wrong"
	_, err = c.Analyze(context.Background(), testRequest())
	if !strings.Contains(err.Error(), "status "+strconv.Itoa(401)) {
		t.Errorf("wrong token: %v, want a 401", err)
	}
}
