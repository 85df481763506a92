package blob

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/milepost/milepost"
)

// TestDiskFull fills a real, tiny filesystem: a 256 KiB tmpfs mounted for the test. It needs
// root (or CAP_SYS_ADMIN) and skips where mounting is not permitted; TestWriteErrorsMidBlob
// covers the same path everywhere by injecting the error.
func TestDiskFull(t *testing.T) {
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, "size=256k,mode=0700"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v); the injected-error test covers ENOSPC", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(mnt, 0); err != nil {
			t.Errorf("unmount %s: %v", mnt, err)
		}
	})
	ctx := context.Background()
	s, err := NewFS(filepath.Join(mnt, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	small := bytes.Repeat([]byte("s"), 16<<10)
	if err := s.PutBlob(ctx, keyOf(small), small); err != nil {
		t.Fatalf("a blob that fits: %v", err)
	}

	big := bytes.Repeat([]byte("b"), 1<<20)
	key := keyOf(big)
	err = s.PutBlob(ctx, key, big)
	if code := milepost.ErrorCode(err); code != milepost.CodeUnavailable {
		t.Fatalf("code = %q (%v), want %q", code, err, milepost.CodeUnavailable)
	}
	if msg := milepost.ErrorMessage(err); msg != msgFull {
		t.Errorf("client message = %q, want %q", msg, msgFull)
	}
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("error %v does not wrap ENOSPC", err)
	}
	checkNothingLeft(t, s, key)

	// The partial temporary file was removed, so the space is back: what fitted before fits
	// again, and the earlier blob is intact.
	other := bytes.Repeat([]byte("o"), 16<<10)
	if err := s.PutBlob(ctx, keyOf(other), other); err != nil {
		t.Fatalf("after the failed put: %v", err)
	}
	if got := readBlob(t, s, keyOf(small)); !bytes.Equal(got, small) {
		t.Error("the earlier blob changed")
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(mnt, &st); err != nil {
		t.Fatal(err)
	}
	if free := int64(st.Bavail) * st.Bsize; free < 128<<10 {
		t.Errorf("only %d bytes free after the failed put: the partial file was not removed", free)
	}
}
