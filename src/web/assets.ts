import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Client islands and stylesheets are bundled by Vite (`npm run build:web`, see vite.config.ts) into
// dist/web with hashed file names; the manifest Vite writes maps each source entry to its files. Pages
// refer to an entry by name, `<feature>/<file name without extension>`: `src/plan/client/plan.ts`
// is "plan/plan", `src/web/client/waymark.css` is "web/waymark".

/** Where `vite build` writes; served at {@link ASSET_PREFIX}. */
export const ASSET_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));
export const ASSET_PREFIX = '/assets/';
const MANIFEST_FILE = `${ASSET_DIR}.vite/manifest.json`;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

/** The files a page needs for one entry: its script (if any), the chunks it imports, its CSS. */
export interface EntryAssets {
  script: string | null;
  preloads: string[];
  styles: string[];
}

const ENTRY_SOURCE = /^src\/([^/]+)\/client\/([^/]+)\.(ts|tsx|css)$/;

let cached: { byName: Map<string, EntryAssets>; modified: number } | null = null;
let warned = false;

function load(): Map<string, EntryAssets> | null {
  // Re-read when `npm run build:web` ran again while the server is up (development).
  const modified = statSync(MANIFEST_FILE, { throwIfNoEntry: false })?.mtimeMs;
  if (modified === undefined) return null;
  if (cached?.modified === modified) return cached.byName;
  const manifest = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as Record<string, ManifestChunk>;
  const url = (file: string) => ASSET_PREFIX + file;
  const byName = new Map<string, EntryAssets>();
  for (const [key, chunk] of Object.entries(manifest)) {
    const match = ENTRY_SOURCE.exec(chunk.src ?? key);
    if (!chunk.isEntry || !match) continue;
    const preloads = new Set<string>();
    const styles = new Set<string>(chunk.css ?? []);
    const visit = (imports: string[] | undefined) => {
      for (const imported of imports ?? []) {
        const dependency = manifest[imported];
        if (!dependency || preloads.has(dependency.file)) continue;
        preloads.add(dependency.file);
        for (const css of dependency.css ?? []) styles.add(css);
        visit(dependency.imports);
      }
    };
    visit(chunk.imports);
    const isCss = chunk.file.endsWith('.css');
    byName.set(`${match[1]}/${match[2]}`, {
      script: isCss ? null : url(chunk.file),
      preloads: [...preloads].map(url),
      styles: isCss ? [url(chunk.file)] : [...styles].map(url),
    });
  }
  cached = { byName, modified };
  return byName;
}

/**
 * The built files of a client entry, by name ("web/roadmap", "plan/plan", "web/waymark").
 * Before `npm run build:web` has run, pages render without scripts or styles (and say so once in the log)
 * rather than failing: the HTML works on its own.
 *
 * @example clientEntry('plan/plan') // { script: '/assets/plan/plan-4f2a….js', preloads: [...], styles: [] }
 */
export function clientEntry(name: string, log?: { warn(message: string): void }): EntryAssets {
  const byName = load();
  if (!byName) {
    if (!warned) {
      warned = true;
      log?.warn(`Web assets are not built (${MANIFEST_FILE} is missing): run "npm run build:web".`);
    }
    return { script: null, preloads: [], styles: [] };
  }
  const assets = byName.get(name);
  if (!assets) {
    throw new Error(
      `Unknown client entry "${name}". Entries: ${[...byName.keys()].join(', ')}. Did you run "npm run build:web"?`,
    );
  }
  return assets;
}

const inlined = new Map<string, { css: string; hash: string } | null>();

/**
 * A built stylesheet's text, for a page that carries its CSS in a `<style>` element instead of a
 * render-blocking request (the roadmap page: its first paint needs no second round trip), with the
 * `'sha256-…'` source the Content-Security-Policy must allow for it. Null when it cannot be inlined.
 *
 * @example inlineStyle('/assets/web/waymark-BsMbOoVR.css') // { css: '…', hash: "'sha256-…'" }
 */
export function inlineStyle(href: string): { css: string; hash: string } | null {
  if (!inlined.has(href)) {
    let value: { css: string; hash: string } | null = null;
    // Hashed names never change, so one read per file serves every later page.
    if (href.startsWith(ASSET_PREFIX) && isHashedAsset(href) && !href.includes('..')) {
      const css = readFileSync(ASSET_DIR + href.slice(ASSET_PREFIX.length), 'utf8');
      if (!/<\/style/i.test(css))
        value = { css, hash: `'sha256-${createHash('sha256').update(css).digest('base64')}'` };
    }
    inlined.set(href, value);
  }
  return inlined.get(href) ?? null;
}

/** Vite's output names end in an 8-character content hash: such files never change. */
export function isHashedAsset(path: string): boolean {
  return /-[A-Za-z0-9_-]{8}\.(js|css|svg|png|woff2?)$/.test(path);
}
