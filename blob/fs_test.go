package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/milepost/milepost"
)

func keyOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func newFS(t *testing.T) *FS {
	t.Helper()
	s, err := NewFS(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readBlob(t *testing.T, s *FS, key string) []byte {
	t.Helper()
	r, err := s.OpenBlob(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tempFiles lists the temporary files left anywhere under dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			found = append(found, path)
		}
		return nil
	})
	return found
}

func TestNewFS(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	s, err := NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Fatalf("NewFS did not create %s: %v", dir, err)
	}
	if s.Dir() != dir {
		t.Errorf("Dir() = %q, want %q", s.Dir(), dir)
	}
	if _, err := NewFS(""); err == nil {
		t.Error("NewFS(\"\") succeeded")
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewFS(filepath.Join(file, "sub")); err == nil {
		t.Error("NewFS under a regular file succeeded")
	}
}

func TestPutOpenRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newFS(t)
	for _, data := range [][]byte{[]byte("hello"), {}, bytes.Repeat([]byte{0xAB}, 3<<20)} {
		key := keyOf(data)
		if err := s.PutBlob(ctx, key, data); err != nil {
			t.Fatal(err)
		}
		if got := readBlob(t, s, key); !bytes.Equal(got, data) {
			t.Errorf("blob %s: read %d bytes, want %d", key, len(got), len(data))
		}
		path := filepath.Join(s.Dir(), key[:2], key[2:4], key)
		st, err := os.Stat(path)
		if err != nil {
			t.Fatalf("blob not at dir/ab/cd/key: %v", err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("mode = %v, want 0600", st.Mode().Perm())
		}
	}
	if tmp := tempFiles(t, s.Dir()); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestPutIdempotent(t *testing.T) {
	ctx := context.Background()
	s := newFS(t)
	data := []byte("same bytes")
	key := keyOf(data)
	for range 3 {
		if err := s.PutBlob(ctx, key, data); err != nil {
			t.Fatal(err)
		}
	}
	if got := readBlob(t, s, key); !bytes.Equal(got, data) {
		t.Errorf("read %q, want %q", got, data)
	}

	// A file of the wrong size under the key (not something FS writes) is replaced.
	path := filepath.Join(s.Dir(), key[:2], key[2:4], key)
	if err := os.WriteFile(path, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.PutBlob(ctx, key, data); err != nil {
		t.Fatal(err)
	}
	if got := readBlob(t, s, key); !bytes.Equal(got, data) {
		t.Errorf("after repair read %q, want %q", got, data)
	}
}

func TestOpenMissing(t *testing.T) {
	s := newFS(t)
	_, err := s.OpenBlob(context.Background(), keyOf([]byte("never stored")))
	if code := milepost.ErrorCode(err); code != milepost.CodeNotFound {
		t.Fatalf("OpenBlob of a missing key: code %q (%v), want %q", code, err, milepost.CodeNotFound)
	}
}

func TestBadKeys(t *testing.T) {
	ctx := context.Background()
	s := newFS(t)
	valid := keyOf([]byte("x"))
	for _, key := range []string{
		"",
		"abc",
		strings.ToUpper(valid),
		valid[:63],
		valid + "0",
		valid[:62] + "/x",
		"../../../../../../../../../../../../../../../../../../etc/passwd",
		"..",
		valid[:60] + "\x00abc",
		strings.Repeat("g", 64),
	} {
		if err := s.PutBlob(ctx, key, []byte("x")); milepost.ErrorCode(err) != milepost.CodeInvalid {
			t.Errorf("PutBlob(%q) = %v, want CodeInvalid", key, err)
		}
		if _, err := s.OpenBlob(ctx, key); milepost.ErrorCode(err) != milepost.CodeInvalid {
			t.Errorf("OpenBlob(%q) = %v, want CodeInvalid", key, err)
		}
	}
	entries, err := os.ReadDir(s.Dir())
	if err != nil || len(entries) != 0 {
		t.Errorf("bad keys created %v (%v)", entries, err)
	}
}

func TestCanceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := newFS(t)
	data := []byte("x")
	if err := s.PutBlob(ctx, keyOf(data), data); !errors.Is(err, context.Canceled) {
		t.Errorf("PutBlob = %v, want context.Canceled", err)
	}
	if _, err := s.OpenBlob(ctx, keyOf(data)); !errors.Is(err, context.Canceled) {
		t.Errorf("OpenBlob = %v, want context.Canceled", err)
	}
}

func TestConcurrentPutSameKey(t *testing.T) {
	ctx := context.Background()
	s := newFS(t)
	data := bytes.Repeat([]byte("concurrent "), 100_000)
	key := keyOf(data)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if err := s.PutBlob(ctx, key, data); err != nil {
				t.Error(err)
			}
			// Whatever a reader sees while others write is the whole blob.
			r, err := s.OpenBlob(ctx, key)
			if err != nil {
				t.Error(err)
				return
			}
			defer r.Close()
			if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, data) {
				t.Errorf("concurrent read: %d bytes, %v", len(got), err)
			}
		})
	}
	wg.Wait()
	if got := readBlob(t, s, key); !bytes.Equal(got, data) {
		t.Errorf("read %d bytes, want %d", len(got), len(data))
	}
	if tmp := tempFiles(t, s.Dir()); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// TestWriteFailure checks that a failing write is a CodeUnavailable error (storage trouble, not
// the client's fault) that keeps its cause, and leaves nothing behind.
func TestWriteFailure(t *testing.T) {
	ctx := context.Background()
	data := []byte("cannot be written")
	key := keyOf(data)
	check := func(t *testing.T, s *FS, err error) {
		t.Helper()
		if err == nil {
			t.Fatal("PutBlob succeeded")
		}
		if code := milepost.ErrorCode(err); code != milepost.CodeUnavailable {
			t.Errorf("code = %q, want %q", code, milepost.CodeUnavailable)
		}
		if msg := milepost.ErrorMessage(err); msg != msgUnavailable {
			t.Errorf("client message = %q, want %q", msg, msgUnavailable)
		}
		if !strings.Contains(err.Error(), "blob: put "+key) {
			t.Errorf("error %q lacks context", err)
		}
		checkNothingLeft(t, s, key)
	}

	t.Run("regular file in place of a directory", func(t *testing.T) {
		s := newFS(t)
		if err := os.WriteFile(filepath.Join(s.Dir(), key[:2]), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		err := s.PutBlob(ctx, key, data)
		if !errors.Is(err, syscall.ENOTDIR) {
			t.Errorf("error %v does not wrap ENOTDIR", err)
		}
		check(t, s, err)
	})

	t.Run("read-only directory", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root ignores directory permissions; covered by the regular-file case")
		}
		s := newFS(t)
		shard := filepath.Join(s.Dir(), key[:2], key[2:4])
		if err := os.MkdirAll(shard, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(shard, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(shard, 0o700) })
		err := s.PutBlob(ctx, key, data)
		if !errors.Is(err, fs.ErrPermission) {
			t.Errorf("error %v does not wrap fs.ErrPermission", err)
		}
		check(t, s, err)
	})
}

// checkNothingLeft asserts that a failed put of key left neither the blob nor a temporary file.
func checkNothingLeft(t *testing.T, s *FS, key string) {
	t.Helper()
	if _, err := os.Lstat(filepath.Join(s.Dir(), key[:2], key[2:4], key)); err == nil {
		t.Error("a file exists under the final name after a failed put")
	}
	if _, err := s.OpenBlob(context.Background(), key); milepost.ErrorCode(err) != milepost.CodeNotFound {
		t.Errorf("after a failed put, OpenBlob = %v, want CodeNotFound", err)
	}
	if tmp := tempFiles(t, s.Dir()); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// failingFile is a temporary file whose writes stop after room bytes with err, as a disk does
// when it fills up part-way through a blob.
type failingFile struct {
	*os.File
	room int
	err  error
}

func (f *failingFile) Write(p []byte) (int, error) {
	if len(p) <= f.room {
		f.room -= len(p)
		return f.File.Write(p)
	}
	n, _ := f.File.Write(p[:f.room])
	f.room = 0
	return n, f.err
}

// TestWriteErrorsMidBlob injects write errors half-way through a blob and checks the error the
// API sees and that the half-written file is gone.
func TestWriteErrorsMidBlob(t *testing.T) {
	data := bytes.Repeat([]byte("x"), 64<<10)
	key := keyOf(data)
	for _, tc := range []struct {
		err     error
		wantMsg string
	}{
		{syscall.ENOSPC, msgFull},
		{syscall.EDQUOT, msgFull},
		{syscall.EIO, msgUnavailable},
	} {
		t.Run(tc.err.Error(), func(t *testing.T) {
			s := newFS(t)
			s.createTemp = func(dir, pattern string) (tempFile, error) {
				f, err := os.CreateTemp(dir, pattern)
				if err != nil {
					return nil, err
				}
				return &failingFile{File: f, room: len(data) / 2, err: tc.err}, nil
			}
			err := s.PutBlob(context.Background(), key, data)
			if code := milepost.ErrorCode(err); code != milepost.CodeUnavailable {
				t.Fatalf("code = %q (%v), want %q", code, err, milepost.CodeUnavailable)
			}
			if r := milepost.ErrorReason(err); r != milepost.ReasonServiceUnavailable {
				t.Errorf("reason = %q, want %q", r, milepost.ReasonServiceUnavailable)
			}
			if msg := milepost.ErrorMessage(err); msg != tc.wantMsg {
				t.Errorf("client message = %q, want %q", msg, tc.wantMsg)
			}
			if !errors.Is(err, tc.err) {
				t.Errorf("error %v does not wrap %v", err, tc.err)
			}
			if strings.Contains(milepost.ErrorMessage(err), s.Dir()) {
				t.Errorf("client message names the directory: %q", milepost.ErrorMessage(err))
			}
			checkNothingLeft(t, s, key)

			// Once there is room again, the same put succeeds.
			s.createTemp = nil
			if err := s.PutBlob(context.Background(), key, data); err != nil {
				t.Fatal(err)
			}
			if got := readBlob(t, s, key); !bytes.Equal(got, data) {
				t.Errorf("read %d bytes, want %d", len(got), len(data))
			}
		})
	}
}

func TestOpenFailure(t *testing.T) {
	s := newFS(t)
	data := []byte("unreadable")
	key := keyOf(data)
	// A symlink to itself stands for a file the filesystem cannot open (ELOOP): a fault of the
	// storage, unlike a missing blob.
	shard := filepath.Join(s.Dir(), key[:2], key[2:4])
	if err := os.MkdirAll(shard, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(key, filepath.Join(shard, key)); err != nil {
		t.Fatal(err)
	}
	_, err := s.OpenBlob(context.Background(), key)
	if code := milepost.ErrorCode(err); code != milepost.CodeUnavailable {
		t.Fatalf("code = %q (%v), want %q", code, err, milepost.CodeUnavailable)
	}
	if !errors.Is(err, syscall.ELOOP) {
		t.Errorf("error %v does not wrap ELOOP", err)
	}
}
