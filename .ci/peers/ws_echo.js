// An echo server on npm's ws, for .ci/peers.sh: its documented
// configuration with permessage-deflate turned on (perMessageDeflate: true,
// ws's defaults for it: no context takeover requested, messages under
// 1 KiB sent uncompressed), otherwise defaults. It listens on a free port
// of 127.0.0.1 and prints the port.
const { WebSocketServer } = require('ws');
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
wss.on('listening', () => console.log(wss.address().port));
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});
