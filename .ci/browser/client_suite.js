// client_suite.js URL AGENT SCREENSHOT: runs wskit serve-cases' client
// suite in headless Chromium (Debian's, driven through npm's
// playwright-core): loads the suite page at URL with ?agent=AGENT&autorun=1,
// which plays every case in the browser's own WebSocket, waits for it to
// finish and saves a screenshot. serve-cases judges the browser and holds
// it to its baseline. For .ci/browser.sh.
const path = require('path');
const { fail, run } = require('./chromium');

const [url, agent, shot] = process.argv.slice(2);

run(async (page) => {
  await page.goto(`${url}?agent=${encodeURIComponent(agent)}&autorun=1`);
  let last = -1;
  const deadline = Date.now() + 10 * 60 * 1000;
  for (;;) {
    const s = await page.evaluate(() => window.wskitSuite);
    if (s.error) fail(`the suite page failed: ${s.error}`);
    if (s.finished) {
      console.log(`browser: ${agent} ran ${s.count} cases`);
      break;
    }
    if (s.done !== last && s.done % 50 === 0) console.log(`browser: ${s.done} of ${s.count} cases`);
    last = s.done;
    if (Date.now() > deadline) fail(`the suite did not finish in 10 minutes (${s.done} of ${s.count} cases)`);
    await new Promise((r) => setTimeout(r, 500));
  }
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`browser: screenshot: ${path.resolve(shot)}`);
});
