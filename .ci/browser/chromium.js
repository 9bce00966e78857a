// chromium.js: how .ci/browser's scripts run Debian's Chromium, headless,
// with a fresh profile, through npm's playwright-core.
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');

// fail prints msg and ends the process with status 1.
function fail(msg) {
  console.error('browser: ' + msg);
  process.exit(1);
}

// withPage runs fn with a page of a fresh headless Chromium and closes the
// browser afterwards; an error fails the process.
async function withPage(fn) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wskit-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    timeout: 60000,
  });
  try {
    await fn(ctx.pages()[0] || await ctx.newPage());
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

function run(fn) {
  withPage(fn).catch((e) => fail(e.stack || String(e)));
}

module.exports = { fail, run };
