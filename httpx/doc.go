// Package httpx holds what the three API dialects and the console share on the HTTP side: request
// ids, access logs, panic recovery, body limits, JSON decoding with client-safe errors, bearer
// tokens, signed links and a short-lived credential cache. It knows no dialect's error format:
// each API package passes its own error writer.
package httpx
