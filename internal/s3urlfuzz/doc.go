// Package s3urlfuzz holds only the fuzz target of blob.ParseS3URL, the parser of --blob-url
// (which carries the S3 credentials). It is a package of its own so that `go test -fuzz`
// instruments blob and the S3 client alone: in cmd/milepost, where the flag is read, the
// instrumented build of the whole server took minutes, beyond the CI fuzzing budget.
package s3urlfuzz
