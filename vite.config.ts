import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vite';

// Bundles the client islands and stylesheets of every feature: each `src/<feature>/client/<name>.ts`
// (or .tsx / .css) is an entry named "<feature>/<name>". Add a file there and it is built; pages load it
// by that name (see `clientEntry` in src/web/assets.ts). Output: dist/web, served at /assets/.

function clientEntries(): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const feature of readdirSync('src', { withFileTypes: true })) {
    const dir = join('src', feature.name, 'client');
    if (!feature.isDirectory() || !existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      const match = /^([\w-]+)\.(ts|tsx|css)$/.exec(file);
      if (!match || file.endsWith('.d.ts') || file.endsWith('.test.ts')) continue;
      const name = `${feature.name}/${match[1]}`;
      if (entries[name])
        throw new Error(
          `Two client entries are both named "${name}": ${entries[name]} and ${join(dir, file)}.`,
        );
      entries[name] = join(dir, file);
    }
  }
  return entries;
}

export default defineConfig({
  root: '.',
  base: '/assets/',
  publicDir: false,
  logLevel: 'warn',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    manifest: true,
    assetsDir: '',
    target: 'es2022',
    cssTarget: 'chrome111',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rollupOptions: {
      input: clientEntries(),
      output: {
        entryFileNames: '[name]-[hash].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: '[name]-[hash][extname]',
      },
    },
  },
});
