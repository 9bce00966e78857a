package conformance

var req = "R-5.5.2-pong"
