// ws_client.js BASE_URL AGENT: npm ws's WebSocket client run through a
// client-testing server's Autobahn fuzzing-server API, the way client
// projects drive Autobahn: read /getCaseCount, then for each case open
// /runCase?case=N&agent=AGENT and echo every message until the server
// closes, then /updateReports. ws's client defaults, for .ci/clients.sh.
const WebSocket = require('ws');

const [base, agent] = process.argv.slice(2);

// open connects to path and resolves when the connection is closed, with
// the error that ended it, if any; each message goes to onMessage with the
// socket.
function open(path, onMessage) {
  return new Promise((resolve) => {
    const ws = new WebSocket(base + path);
    let error = null;
    ws.on('message', (data, isBinary) => onMessage(ws, data, isBinary));
    ws.on('error', (e) => { error = error || e; });
    ws.on('close', () => resolve(error));
  });
}

(async () => {
  let count = 0;
  for (let attempt = 1; attempt <= 3 && !(count > 0); attempt++) {
    const err = await open('/getCaseCount', (ws, data) => { count = parseInt(data.toString(), 10); });
    if (!(count > 0)) console.error(`ws client: no case count (attempt ${attempt}): ${err ? err.message : 'closed without one'}`);
  }
  if (!(count > 0)) process.exit(1);
  for (let i = 1; i <= count; i++) {
    await open(`/runCase?case=${i}&agent=${encodeURIComponent(agent)}`,
      (ws, data, isBinary) => ws.send(data, { binary: isBinary }));
  }
  await open(`/updateReports?agent=${encodeURIComponent(agent)}`, () => {});
  console.log(`ws client: ran ${count} cases`);
})();
