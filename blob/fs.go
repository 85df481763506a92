// Package blob keeps file bytes by content hash: FS on the local filesystem, S3 in an
// S3-compatible object store. Open picks one from a URL (docs/storage.md). Failures of the
// storage itself (disk full, server down) are CodeUnavailable errors that keep their cause.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/milepost/milepost"
)

// dirPerm is the mode of the directories FS creates; files get os.CreateTemp's 0600. Photos
// carry personal data (faces, places), so only the server's user may read them.
const dirPerm = 0o700

// FS is a milepost.BlobStore on a local directory. A blob lives at dir/ab/cd/<key>, where ab
// and cd are the first two byte pairs of its key. Writes are atomic and durable: a blob is
// either absent or complete under its final name, also after a crash. FS is safe for
// concurrent use, also by several processes sharing the directory.
type FS struct {
	dir string
	// createTemp makes the temporary file a put writes to; nil means os.CreateTemp. Tests set it
	// to make writes fail part-way, as a full disk does.
	createTemp func(dir, pattern string) (tempFile, error)
}

// tempFile is the part of *os.File a put uses.
type tempFile interface {
	io.Writer
	Sync() error
	Close() error
	Name() string
}

var _ milepost.BlobStore = (*FS)(nil)

// NewFS returns an FS storing under dir, creating it (and its parents) when missing. It fails
// when dir cannot be created or is not a directory.
func NewFS(dir string) (*FS, error) {
	if dir == "" {
		return nil, errors.New("blob: directory is required")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: resolve %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, dirPerm); err != nil {
		return nil, fmt.Errorf("blob: create %s: %w", abs, err)
	}
	return &FS{dir: abs}, nil
}

// Dir returns the absolute directory the blobs are stored under.
func (s *FS) Dir() string { return s.dir }

// PutBlob stores data under key, a SHA-256 of data in lowercase hex (else a CodeInvalid error).
// It is idempotent: when a file of the same size is already stored under key, it returns at
// once, trusting the content hash. Data goes to a temporary file in the target directory, is
// synced, and is renamed into place, and the directory is synced. Any failure of the filesystem
// (disk full, I/O error, permissions) is a CodeUnavailable error wrapping the cause, and leaves
// neither a file under the final name nor a temporary file.
func (s *FS) PutBlob(ctx context.Context, key string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkKey(key); err != nil {
		return err
	}
	final := s.path(key)
	if st, err := os.Stat(final); err == nil && st.Mode().IsRegular() && st.Size() == int64(len(data)) {
		return nil
	}
	dir := filepath.Dir(final)
	if err := s.mkdirs(key); err != nil {
		return unavailable("put "+key, diskFull(err), err)
	}
	if err := s.writeAtomic(dir, final, data); err != nil {
		return unavailable("put "+key, diskFull(err), err)
	}
	return nil
}

// OpenBlob opens the bytes stored under key; the caller closes them. A key that is not stored
// is a CodeNotFound error, a malformed key a CodeInvalid error, and any other failure to open
// the file a CodeUnavailable error wrapping the cause.
func (s *FS) OpenBlob(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkKey(key); err != nil {
		return nil, err
	}
	f, err := os.Open(s.path(key))
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) { // ENOTDIR: a file holds a shard's place
		return nil, milepost.Errorf(milepost.CodeNotFound, "", "Blob %s not found.", key)
	}
	if err != nil {
		return nil, unavailable("open "+key, false, err)
	}
	return f, nil
}

// checkKey accepts exactly 64 lowercase hex digits, so a key can never name another path.
func checkKey(key string) error {
	ok := len(key) == 64
	for i := 0; ok && i < len(key); i++ {
		c := key[i]
		ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f'
	}
	if !ok {
		return milepost.Invalidf("key", "Blob key must be a SHA-256 in 64 lowercase hex digits.")
	}
	return nil
}

func (s *FS) path(key string) string {
	return filepath.Join(s.dir, key[0:2], key[2:4], key)
}

// mkdirs creates dir/ab and dir/ab/cd for key, syncing the parent of each directory it
// creates so the new entries survive a crash.
func (s *FS) mkdirs(key string) error {
	parent := s.dir
	for _, name := range []string{key[0:2], key[2:4]} {
		d := filepath.Join(parent, name)
		err := os.Mkdir(d, dirPerm)
		switch {
		case err == nil:
			if err := syncDir(parent); err != nil {
				return err
			}
		case errors.Is(err, fs.ErrExist):
			// Created earlier or by a concurrent put; a regular file in its place fails below.
		default:
			return fmt.Errorf("create directory: %w", err)
		}
		parent = d
	}
	return nil
}

// writeAtomic writes data to a temporary file in dir, syncs it, renames it to final and syncs
// dir. On failure the temporary file is removed.
func (s *FS) writeAtomic(dir, final string, data []byte) (err error) {
	create := s.createTemp
	if create == nil {
		create = func(dir, pattern string) (tempFile, error) { return os.CreateTemp(dir, pattern) }
	}
	tmp, err := create(dir, "."+filepath.Base(final)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("rename: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return err // the blob is complete under its name; only its durability is in doubt
	}
	return nil
}

// syncDir flushes a directory's entries (new files, renames) to disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	return nil
}
