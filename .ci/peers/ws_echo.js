// An echo server on npm's ws, in its documented default configuration
// (permessage-deflate off, as the runner does not offer it yet), for
// .ci/peers.sh. It listens on a free port of 127.0.0.1 and prints the port.
const { WebSocketServer } = require('ws');
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('listening', () => console.log(wss.address().port));
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
