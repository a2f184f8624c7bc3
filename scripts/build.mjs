#!/usr/bin/env node
// Builds what `npm start` runs — the browser assets (Vite → dist/web) and the server compiled to
// JavaScript (tsc → build/) — only when their sources changed since the last build, so a second
// `npm start` is up in a moment. `node scripts/build.mjs --force` (npm run build) always builds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/.build-stamp';
const INPUTS = ['src', 'vite.config.ts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const OUTPUTS = ['dist/web/.vite/manifest.json', 'build/server.js', 'build/cli/main.js'];

function* files(path) {
  if (!existsSync(path)) return;
  const entries = readdirSync(path, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

function fingerprint() {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    const list = existsSync(input) && !input.includes('.') ? [...files(input)] : [input];
    for (const file of list) {
      if (!existsSync(file)) continue;
      hash.update(file).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

function run(label, command, args) {
  const started = Date.now();
  process.stdout.write(`waymark build: ${label}… `);
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], shell: false });
  if (result.status !== 0) {
    console.error(`\nwaymark build: ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const force = process.argv.includes('--force');
const current = fingerprint();
const previous = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : '';
if (!force && previous === current && OUTPUTS.every((file) => existsSync(file))) {
  console.log('waymark build: up to date (sources unchanged since the last build)');
  process.exit(0);
}
const bin = (name) => join('node_modules', '.bin', name);
run('browser assets (vite)', bin('vite'), ['build', '--config', 'vite.config.ts']);
run('server (tsc → build/)', bin('tsc'), ['-p', 'tsconfig.build.json']);
mkdirSync('dist', { recursive: true });
writeFileSync(STAMP, `${current}\n`);
// The compiled server's first start then neither parses the content nor lays the diagrams out: the
// parsed content goes to dist/content-snapshot.bin and the layouts to dist/layouts/ (both keyed by
// the content files and this build). A failure here only costs that first start the work.
const warm = `
const { loadValidContent } = await import('./build/bootstrap.js');
const { warmDiagrams } = await import('./build/web/roadmap/diagram.layout.js');
await warmDiagrams(await loadValidContent(process.env.WAYMARK_CONTENT_DIR || 'roadmaps'));`;
const started = Date.now();
process.stdout.write('waymark build: content snapshot and diagram layouts… ');
const warmed = spawnSync(process.execPath, ['--input-type=module', '-e', warm], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
console.log(
  warmed.status === 0
    ? `done in ${((Date.now() - started) / 1000).toFixed(1)} s`
    : `skipped (${String(warmed.stderr).trim().split('\n')[0] || `exit ${warmed.status}`})`,
);
