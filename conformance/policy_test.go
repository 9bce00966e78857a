package conformance

import (
	"testing"
)

func TestPolicy(t *testing.T) {
	strict, err := ParsePolicy(" failed , Non-Strict,WRONG_CODE, unclean, failed-by-client ")
	if err != nil {
		t.Fatal(err)
	}
	if got := strict.String(); got != "FAILED,FAILED BY CLIENT,NON-STRICT,UNCLEAN,WRONG CODE" {
		t.Errorf("String() = %q", got)
	}
	for _, tc := range []struct {
		behavior, close Verdict
		policy          Policy
		why             string
	}{
		{OK, OK, strict, ""},
		{Informational, Informational, strict, ""},
		{NonStrict, OK, DefaultPolicy, ""},
		{NonStrict, OK, strict, "behaviour NON-STRICT"},
		{Failed, Failed, AutobahnPolicy, "behaviour FAILED, close FAILED"},
		{OK, Unclean, DefaultPolicy, "close UNCLEAN"},
		{OK, Unclean, AutobahnPolicy, ""},
		{OK, WrongCode, DefaultPolicy, "close WRONG CODE"},
		{OK, FailedByClient, DefaultPolicy, ""},
		{OK, FailedByClient, strict, "close FAILED BY CLIENT"},
		{WrongCode, OK, AutobahnPolicy, "behaviour WRONG CODE"}, // a close verdict in the behaviour column never passes
		{"", OK, AutobahnPolicy, "behaviour "},                  // no verdict: a runner bug never passes
		{OK, "BOGUS", AutobahnPolicy, "close BOGUS"},
		{Unimplemented, OK, DefaultPolicy, ""},
		{Unimplemented, OK, NewPolicy(Unimplemented), "behaviour UNIMPLEMENTED"},
	} {
		r := &Result{Behavior: tc.behavior, BehaviorClose: tc.close}
		if got := tc.policy.Why(r); got != tc.why {
			t.Errorf("%s/%s under %s: Why = %q, want %q", tc.behavior, tc.close, tc.policy, got, tc.why)
		}
		if got := tc.policy.Fails(r); got != (tc.why != "") {
			t.Errorf("%s/%s under %s: Fails = %v", tc.behavior, tc.close, tc.policy, got)
		}
	}
	for _, bad := range []string{"", " , ", "OK", "PASSED", "FAILED,maybe"} {
		if _, err := ParsePolicy(bad); err == nil {
			t.Errorf("ParsePolicy(%q) accepted", bad)
		}
	}
	if got := DefaultPolicy.String(); got != "FAILED,UNCLEAN,WRONG CODE" {
		t.Errorf("DefaultPolicy = %q", got)
	}
}
