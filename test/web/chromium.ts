import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); a downloaded browser is never used. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function newestSource(dir: string, only?: RegExp): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path, only));
    else if (!only || only.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the client assets when they are missing or older than their sources (`npm test` builds them
 * first; running a test file directly may not have).
 */
export async function ensureWebAssets(): Promise<void> {
  const manifest = 'dist/web/.vite/manifest.json';
  const clientDirs = readdirSync('src', { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join('src', entry.name, 'client'))
    .filter((dir) => existsSync(dir));
  const sources = Math.max(
    newestSource('src/web'),
    ...clientDirs.map((dir) => newestSource(dir)),
    // Stylesheets beside a feature's pages (e.g. src/dashboard/pages/charts.css) are bundled too.
    newestSource('src', /\.css$/),
    statSync('vite.config.ts').mtimeMs,
  );
  if (existsSync(manifest) && statSync(manifest).mtimeMs >= sources) return;
  const { build } = await import('vite');
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
