module github.com/wskit/wskit/bench

go 1.26.0

require (
	github.com/coder/websocket v1.8.15
	github.com/gobwas/ws v1.5.0
	github.com/gorilla/websocket v1.5.3
	github.com/wskit/wskit v0.0.0
)

require (
	github.com/gobwas/httphead v0.1.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/wskit/wskit => ../
