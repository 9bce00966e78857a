// client_suite.js URL AGENT SCREENSHOT: runs wskit serve-cases' client
// suite in headless Chromium (Debian's, driven through npm's
// playwright-core): loads the suite page at URL with ?agent=AGENT&autorun=1,
// which plays every case in the browser's own WebSocket, waits for it to
// finish and saves a screenshot. serve-cases judges the browser and holds
// it to its baseline. For .ci/browser.sh.
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [url, agent, shot] = process.argv.slice(2);
const fail = (msg) => { console.error('browser: ' + msg); process.exit(1); };

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wskit-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    timeout: 60000,
  });
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
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
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})().catch((e) => fail(e.stack || String(e)));
