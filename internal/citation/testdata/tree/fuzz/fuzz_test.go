package fuzz

// Cites an existing and a misspelled ID:
// H-4.2.2-auth/redirect, R-9.9-no-such-rule.
// R-5.1-client-masks hidden by the marker: citation:ignore
