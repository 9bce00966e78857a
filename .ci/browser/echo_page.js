// echo_page.js URL SCREENSHOT [EXTENSIONS]: loads wskit serve's echo page in headless
// Chromium (Debian's, driven through npm's playwright-core), sends text
// through it in every length class (7-bit, 16-bit and 64-bit lengths, a
// 70,000-character message, non-ASCII text), checks every echo, closes,
// and saves a screenshot. With EXTENSIONS, the negotiated extensions
// must start with it ("none" when the server declines them). For
// .ci/browser.sh.
const path = require('path');
const { fail, run } = require('./chromium');

const [url, shot, wantExtensions] = process.argv.slice(2);

run(async (page) => {
  page.setDefaultTimeout(15000);
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('state').textContent === 'open');
  const extensions = await page.textContent('#extensions');
  console.log(`browser: ${await page.evaluate(() => navigator.userAgent)}`);
  console.log(`browser: connected, extensions: ${extensions}`);
  if (wantExtensions && !extensions.startsWith(wantExtensions)) {
    fail(`the negotiated extensions are "${extensions}", want "${wantExtensions}"`);
  }

  const repeat = (s, n) => s.repeat(Math.ceil(n / s.length)).slice(0, n);
  const messages = [
    'Hello, WebSocket',
    'Grüße, Ωμέγα, Привет, 日本語, 🎉 (non-ASCII: 2-, 3- and 4-byte UTF-8)',
    repeat('seven bit ', 125),            // the largest 7-bit length
    repeat('sixteen bit ', 126),          // the smallest 16-bit length
    repeat('ascii ', 65535),              // the largest 16-bit length
    repeat('日本語とemoji🎉 ', 70000),     // 70,000 UTF-16 code units: a 64-bit length in UTF-8
  ];
  for (const [i, m] of messages.entries()) {
    const before = await page.evaluate(() => window.wskitEcho.matched);
    await page.fill('#message', m);
    await page.click('#send');
    await page.waitForFunction((n) => window.wskitEcho.matched + window.wskitEcho.mismatched > n, before);
    const { matched, mismatched } = await page.evaluate(() => window.wskitEcho);
    if (mismatched !== 0 || matched !== before + 1) {
      fail(`message ${i + 1} (${m.length} characters) was not echoed exactly: ${matched} matched, ${mismatched} differed`);
    }
    console.log(`browser: echo ${i + 1} of ${messages.length} matched (${m.length} characters, ${Buffer.byteLength(m)} bytes of UTF-8)`);
  }
  await page.fill('#message', 'screenshot');
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`browser: screenshot: ${path.resolve(shot)}`);

  await page.evaluate(() => ws.close(1000, 'done'));
  await page.waitForFunction(() => window.wskitEcho.closed !== null);
  const closed = await page.evaluate(() => window.wskitEcho.closed);
  if (closed.code !== 1000 || !closed.clean) {
    fail(`the close was not clean: ${JSON.stringify(closed)}`);
  }
  console.log(`browser: closed cleanly with ${closed.code}`);
});
