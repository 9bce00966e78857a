package autobahn

var req = "R-5.5.2-pong"
