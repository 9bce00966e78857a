package spec

var x = "R-5.1-client-masks"
