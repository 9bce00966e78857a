package loopback

// Answers a ping with a pong (R-5.5.2-pong).
