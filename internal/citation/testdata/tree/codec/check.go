package codec

// Fails the connection (R-5.2-rsv-fail).
