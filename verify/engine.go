package verify

import (
	"context"
	"errors"
	"fmt"

	"github.com/milepost/milepost"
)

// Analyzer examines one check-in run and reports what it found as signals. Analyze must not
// modify in; it should return at least one signal whenever it applies to the check-in's type (a
// pass signal when it found nothing), so reviewers can see what was checked.
//
// An error means the analyzer could not do its work (the database, the photos' bytes or a
// remote service it needs failed): the engine then fails the run, which the job retries and in
// the end leaves for a reviewer. An analyzer that cannot run at all on this server (a missing
// OCR engine) must not fail: it reports a signal saying so.
type Analyzer interface {
	// Name is the analyzer's name, used as Signal.Analyzer ("evidence", "recency", …).
	Name() string
	// Analyze returns the analyzer's signals in a deterministic order.
	Analyze(ctx context.Context, in *milepost.VerificationInput) ([]milepost.Signal, error)
}

// Engine runs the analyzers on a check-in and turns their signals into a decision. It is safe
// for concurrent use.
type Engine struct {
	analyzers []Analyzer
}

var _ milepost.Verifier = (*Engine)(nil)

// New returns an engine running the built-in analyzers (evidence, recency, velocity, tamper, quality) with the
// thresholds of p, followed by the extra analyzers in the given order. New does not validate p:
// callers check it once with Policy.Validate (LoadPolicy does).
func New(p Policy, extra ...Analyzer) *Engine {
	as := []Analyzer{evidenceAnalyzer{}, recencyAnalyzer{p: p}, velocityAnalyzer{p: p}, tamperAnalyzer{p: p}, qualityAnalyzer{p: p}}
	return &Engine{analyzers: append(as, extra...)}
}

// Verify runs every analyzer on in and decides with milepost.Decide. A signal without an
// analyzer name gets the analyzer's, one without a verdict counts as a pass. It fails only when
// the input is unusable (no check-in, unknown type), when ctx is done, or when an analyzer
// panics or returns an unknown verdict; the error then names the analyzer.
func (e *Engine) Verify(ctx context.Context, in *milepost.VerificationInput) (milepost.Decision, error) {
	if in == nil || in.Checkin == nil {
		return milepost.Decision{}, errors.New("verify: no check-in in the input")
	}
	if !in.Checkin.Type.Valid() {
		return milepost.Decision{}, fmt.Errorf("verify: check-in %s has unknown type %q", in.Checkin.ID, in.Checkin.Type)
	}
	var signals []milepost.Signal
	for _, a := range e.analyzers {
		if err := ctx.Err(); err != nil {
			return milepost.Decision{}, fmt.Errorf("verify check-in %s: %w", in.Checkin.ID, err)
		}
		got, err := analyze(ctx, a, in)
		if err != nil {
			return milepost.Decision{}, fmt.Errorf("verify check-in %s: %w", in.Checkin.ID, err)
		}
		for _, s := range got {
			if s.Analyzer == "" {
				s.Analyzer = a.Name()
			}
			switch s.Verdict {
			case "":
				s.Verdict = milepost.VerdictPass
			case milepost.VerdictPass, milepost.VerdictHold, milepost.VerdictDecline:
			default:
				return milepost.Decision{}, fmt.Errorf("verify check-in %s: analyzer %s: signal %s has unknown verdict %q",
					in.Checkin.ID, a.Name(), s.Name, s.Verdict)
			}
			signals = append(signals, s)
		}
	}
	return milepost.Decide(signals), nil
}

// analyze runs one analyzer, turning a panic into an error so one faulty analyzer fails the
// run (to be retried or looked at) instead of the worker.
func analyze(ctx context.Context, a Analyzer, in *milepost.VerificationInput) (s []milepost.Signal, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("analyzer %s panicked: %v", a.Name(), r)
		}
	}()
	s, err = a.Analyze(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("analyzer %s: %w", a.Name(), err)
	}
	return s, nil
}
