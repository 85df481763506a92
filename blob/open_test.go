package blob

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenFilesystemDefault(t *testing.T) {
	dataDir := t.TempDir()
	store, err := Open(context.Background(), "", dataDir)
	if err != nil {
		t.Fatal(err)
	}
	fs, ok := store.(*FS)
	if !ok {
		t.Fatalf("Open(\"\") = %T, want *FS", store)
	}
	if want := filepath.Join(dataDir, "blobs"); fs.Dir() != want {
		t.Errorf("Dir() = %q, want %q", fs.Dir(), want)
	}
}

func TestOpenS3(t *testing.T) {
	ctx := context.Background()
	addr := newFakeServer(t, nil)
	rawURL := "s3://AK:SK@" + addr + "/opened-bucket?tls=false&prefix=blobs"
	store, err := Open(ctx, rawURL, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, ok := store.(*S3)
	if !ok {
		t.Fatalf("Open(s3://...) = %T, want *S3", store)
	}
	if s.cfg.Prefix != "blobs/" {
		t.Errorf("prefix %q, want blobs/", s.cfg.Prefix)
	}
	if exists, err := s.client.BucketExists(ctx, "opened-bucket"); err != nil || !exists {
		t.Fatalf("Open did not create the bucket: %v %v", exists, err)
	}
	data := []byte("through Open")
	if err := store.PutBlob(ctx, keyOf(data), data); err != nil {
		t.Fatal(err)
	}
	// A second node opening the same URL finds the bucket and the blob.
	again, err := Open(ctx, rawURL, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if got := readS3(t, again.(*S3), keyOf(data)); !bytes.Equal(got, data) {
		t.Errorf("second node read %q, want %q", got, data)
	}
}

func TestOpenErrors(t *testing.T) {
	const secret = "TOPSECRETVALUE"
	for _, tc := range []struct {
		url, wantErr string
	}{
		{"file:///var/lib/milepost", "unsupported blob URL"},
		{"http://AK:" + secret + "@127.0.0.1:7070/bkt", "unsupported blob URL"},
		{"/var/lib/milepost/blobs", "unsupported blob URL"},
		{"s3:/AK:" + secret + "@h/bkt", "unsupported blob URL"},
		{"s3://AK:" + secret + "@h:1/Bad_Bucket?tls=false", "bucket"},
		{"s3://AK:" + secret + "@h:1/bkt?tls=false&color=blue", "unknown S3 URL parameter"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			store, err := Open(context.Background(), tc.url, t.TempDir())
			if err == nil {
				t.Fatalf("Open succeeded with %T", store)
			}
			if store != nil {
				t.Errorf("Open returned a store with its error: %T", store)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not say %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error repeats the secret: %q", err)
			}
		})
	}
}

func TestOpenS3Down(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), downTimeout)
	defer cancel()
	const secret = "TOPSECRETVALUE"
	store, err := Open(ctx, "s3://AK:"+secret+"@"+closedAddr(t)+"/bkt?tls=false", t.TempDir())
	if store != nil {
		t.Errorf("Open returned a store with its error: %T", store)
	}
	checkUnavailable(t, "Open", err, msgUnavailable)
	if err != nil && strings.Contains(err.Error(), secret) {
		t.Errorf("error repeats the secret: %q", err)
	}
}
