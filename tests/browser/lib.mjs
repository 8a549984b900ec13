// Shared helpers for the browser checks: launch Debian's Chromium headless with no network
// (playwright gives each launch a fresh, empty profile).
import { chromium } from "playwright-core";

export async function launch() {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

export function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

export async function check(name, fn) {
  try {
    await fn();
    console.log(`ok: ${name}`);
  } catch (e) {
    fail(`${name}: ${e && e.stack ? e.stack : e}`);
  }
}
