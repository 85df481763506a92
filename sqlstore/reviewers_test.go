package sqlstore_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/milepost/milepost"
	"github.com/milepost/milepost/milepostest"
)

func TestReviewersAndSessions(t *testing.T) {
	milepostest.ForEachStore(t, func(t *testing.T, s milepostest.Store) {
		ctx := context.Background()
		db := openDB(t, s)
		var mu sync.Mutex
		now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		p, _ := newPartner(t, db)
		rv := db.Reviewers()

		cred, err := rv.AddReviewer(ctx, p.Partner.ID, " Rita@Example.com ")
		if err != nil || cred.Reviewer.Email != "rita@example.com" || len(cred.Password) < 20 || cred.Reviewer.PartnerID != p.Partner.ID {
			t.Fatalf("add reviewer: %+v %v", cred, err)
		}
		_, err = rv.AddReviewer(ctx, p.Partner.ID, "rita@example.com")
		wantCode(t, err, milepost.CodeConflict, "")
		_, err = rv.AddReviewer(ctx, p.Partner.ID, "not an email")
		wantCode(t, err, milepost.CodeInvalid, "")
		_, err = rv.AddReviewer(ctx, "no-such-partner", "x@example.com")
		wantCode(t, err, milepost.CodeNotFound, "")

		sess, err := rv.SignIn(ctx, "RITA@example.com", cred.Password)
		if err != nil || sess.Token == "" || sess.CSRF == "" || sess.Reviewer.ID != cred.Reviewer.ID || !sess.ExpiresAt.Equal(now.Add(milepost.SessionTTL)) {
			t.Fatalf("sign in: %+v %v", sess, err)
		}
		if a := sess.Actor(); a.PartnerID != p.Partner.ID || a.Scope != milepost.ScopeAdmin {
			t.Fatalf("session actor %+v", a)
		}
		got, err := rv.Session(ctx, sess.Token)
		if err != nil || got.Reviewer.Email != "rita@example.com" || got.CSRF != sess.CSRF {
			t.Fatalf("session: %+v %v", got, err)
		}
		_, err = rv.Session(ctx, sess.Token+"x")
		wantCode(t, err, milepost.CodeUnauthorized, "")
		// A session used within its lifetime lasts; unused past it, it ends.
		advance(milepost.SessionTTL - time.Minute)
		if _, err := rv.Session(ctx, sess.Token); err != nil {
			t.Fatalf("session used before it expires: %v", err)
		}
		advance(milepost.SessionTTL + time.Minute)
		_, err = rv.Session(ctx, sess.Token)
		wantCode(t, err, milepost.CodeUnauthorized, "")
		sess, _ = rv.SignIn(ctx, "rita@example.com", cred.Password)
		if err := rv.SignOut(ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		_, err = rv.Session(ctx, sess.Token)
		wantCode(t, err, milepost.CodeUnauthorized, "")

		// Wrong passwords and unknown e-mails look alike; five failures lock the e-mail for the
		// window, even for the right password.
		_, err = rv.SignIn(ctx, "nobody@example.com", "whatever")
		wantCode(t, err, milepost.CodeUnauthorized, "")
		for range milepost.MaxSignInFailures {
			_, err = rv.SignIn(ctx, "rita@example.com", "wrong")
			wantCode(t, err, milepost.CodeUnauthorized, "")
		}
		_, err = rv.SignIn(ctx, "rita@example.com", cred.Password)
		wantCode(t, err, milepost.CodeRateLimited, "")
		if !strings.Contains(milepost.ErrorMessage(err), "15 minutes") {
			t.Fatalf("rate limit message %q", milepost.ErrorMessage(err))
		}
		advance(milepost.SignInWindow + time.Second)
		if _, err := rv.SignIn(ctx, "rita@example.com", cred.Password); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}
