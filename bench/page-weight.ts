// Page weight of the roadmap page: its HTML, CSS and JS, gzip-compressed as a server sends them, against
// the issue's budget (total < 120 KB, JS < 50 KB), plus first contentful paint in headless Chromium on
// loopback (median of a few loads). `npm run bench` calls measurePageWeight(); run this file alone with
// `node --import tsx bench/page-weight.ts`.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { buildApp } from '../src/app.js';
import { startRuntime } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { CHROMIUM_PATH, launchChromium } from '../test/web/chromium.js';

const CHROMIUM = CHROMIUM_PATH;
export const BUDGET = { totalGzipBytes: 120 * 1024, jsGzipBytes: 50 * 1024 };

export interface Resource {
  url: string;
  kind: 'html' | 'css' | 'js';
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

export interface PageWeight {
  page: string;
  resources: Resource[];
  totals: { html: number; css: number; js: number; total: number };
  withinBudget: boolean;
  /** Median first contentful paint in ms, or null with the reason when Chromium is unavailable. */
  firstContentfulPaintMs: number | null;
  fcpSamples: number[];
  /** The same measurement on a one-paragraph page: this machine's floor, to read the number against. */
  baselineFcpMs: number | null;
  /** The same pair with Chromium's CPU slowed 4× (Emulation.setCPUThrottlingRate): a mid-range phone. */
  throttled: { pageMs: number; baselineMs: number; samples: number[]; baselineSamples: number[] } | null;
  /** Elements in the page's DOM once loaded and its detail shown (`document.getElementsByTagName('*')`). */
  elements: number | null;
  /** Elements the first paint has to build: the page without its detail (diagram and list), which the
   * roadmap island inserts after that paint from the `<noscript data-detail>` text. */
  firstPaintElements: number | null;
  /** Bytes of the HTML parsed as markup before the first paint (the detail is unparsed text until then). */
  firstPaintHtmlBytes: number;
  note?: string;
}

async function fetchBytes(url: string, headers: Record<string, string> = {}): Promise<Buffer> {
  const response = await fetch(url, { headers: { 'accept-encoding': 'identity', ...headers } });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Starts Waymark on a fresh SQLite database, makes a learner with some progress, and weighs
 * `/roadmaps/<roadmapId>` with everything it loads.
 */
export async function measurePageWeight(
  options: { roadmapId?: string; fcpRuns?: number } = {},
): Promise<PageWeight> {
  const roadmapId = options.roadmapId ?? 'backend';
  const dir = mkdtempSync(join(tmpdir(), 'waymark-weight-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'waymark.db')}`,
    LOG_LEVEL: 'warn',
    WAYMARK_GUEST_RATE_LIMIT: '1000',
  });
  const runtime = await startRuntime(config);
  const app = await buildApp({ config, db: runtime.db, content: runtime.content, logger: false });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const origin = `http://localhost:${address && typeof address === 'object' ? address.port : 0}`;
    // A learner a third of the way through: statuses change the markup a little.
    const roadmap = runtime.content.roadmaps.get(roadmapId);
    if (!roadmap) throw new Error(`No roadmap ${roadmapId}`);
    let cookie = '';
    for (const [index, topicId] of roadmap.topicIds.entries()) {
      if (index % 3 !== 0) continue;
      const response = await fetch(`${origin}/api/v1/topics/${topicId}/progress`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', origin, ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ status: index % 2 ? 'done' : 'learning' }),
      });
      cookie ||= response.headers.get('set-cookie')?.split(';')[0] ?? '';
    }
    const page = `${origin}/roadmaps/${roadmapId}`;
    const html = await fetchBytes(page, { cookie, accept: 'text/html' });
    const text = html.toString('utf8');
    const urls = new Map<string, 'css' | 'js'>();
    for (const match of text.matchAll(/<link rel="stylesheet" href="([^"]+)"/g))
      urls.set(match[1] ?? '', 'css');
    for (const match of text.matchAll(
      /<(?:script type="module" src|link rel="modulepreload" href)="([^"]+)"/g,
    ))
      urls.set(match[1] ?? '', 'js');
    const resources: Resource[] = [
      {
        url: page,
        kind: 'html',
        bytes: html.length,
        gzipBytes: gzipSync(html).length,
        brotliBytes: brotliCompressSync(html).length,
      },
    ];
    for (const [path, kind] of urls) {
      const body = await fetchBytes(origin + path);
      resources.push({
        url: path,
        kind,
        bytes: body.length,
        gzipBytes: gzipSync(body).length,
        brotliBytes: brotliCompressSync(body).length,
      });
    }
    // Chunks imported by the islands that the page did not preload.
    for (const resource of resources.filter((r) => r.kind === 'js')) {
      const body = (await fetchBytes(origin + resource.url)).toString('utf8');
      for (const match of body.matchAll(/(?:from|import)\s*"(\.\.?\/[^"]+\.js)"/g)) {
        const relative = match[1] ?? '';
        const resolved = new URL(relative, origin + resource.url).pathname;
        if (!resources.some((r) => r.url === resolved)) {
          const chunk = await fetchBytes(origin + resolved);
          resources.push({
            url: resolved,
            kind: 'js',
            bytes: chunk.length,
            gzipBytes: gzipSync(chunk).length,
            brotliBytes: brotliCompressSync(chunk).length,
          });
        }
      }
    }
    const sum = (kind: Resource['kind']) =>
      resources.filter((r) => r.kind === kind).reduce((total, r) => total + r.gzipBytes, 0);
    const totals = { html: sum('html'), css: sum('css'), js: sum('js'), total: 0 };
    totals.total = totals.html + totals.css + totals.js;

    let firstContentfulPaintMs: number | null = null;
    let baselineFcpMs: number | null = null;
    const fcpSamples: number[] = [];
    const baselineSamples: number[] = [];
    const slowSamples: number[] = [];
    const slowBaselineSamples: number[] = [];
    let throttled: PageWeight['throttled'] = null;
    let elements: number | null = null;
    let firstPaintElements: number | null = null;
    const deferred = [...text.matchAll(/<noscript data-detail>([\s\S]*?)<\/noscript>/g)].map(
      (m) => m[1] ?? '',
    );
    const firstPaintHtmlBytes = html.length - deferred.reduce((n, part) => n + Buffer.byteLength(part), 0);
    let note: string | undefined;
    if (existsSync(CHROMIUM)) {
      const browser = await launchChromium();
      // The floor: a one-paragraph page from a bare node:http server, loaded the same way.
      const bare = createServer((_request, response) => {
        response.setHeader('content-type', 'text/html; charset=utf-8');
        response.end('<!doctype html><title>Baseline</title><p>Baseline paragraph.</p>');
      });
      await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
      const bareAddress = bare.address();
      const bareUrl = `http://localhost:${bareAddress && typeof bareAddress === 'object' ? bareAddress.port : 0}/`;
      try {
        const paint = `new Promise((resolve) => { const read = () => performance.getEntriesByName('first-contentful-paint')[0]; const entry = read(); if (entry) resolve(entry.startTime); else new PerformanceObserver(() => { const e = read(); if (e) resolve(e.startTime); }).observe({ type: 'paint', buffered: true }); })`;
        for (let run = 0; run < (options.fcpRuns ?? 7); run++) {
          // A fresh context each time: nothing cached, like a first visit. Baseline and page alternate,
          // at full speed and with the CPU slowed 4×.
          for (const [target, samples, rate] of [
            [bareUrl, baselineSamples, 1],
            [page, fcpSamples, 1],
            [bareUrl, slowBaselineSamples, 4],
            [page, slowSamples, 4],
          ] as const) {
            const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
            await context.addCookies([
              { name: 'waymark_session', value: cookie.split('=')[1] ?? '', url: origin },
            ]);
            const tab = await context.newPage();
            if (rate !== 1) {
              const cdp = await context.newCDPSession(tab);
              await cdp.send('Emulation.setCPUThrottlingRate', { rate });
            }
            await tab.goto(target, { waitUntil: 'load' });
            samples.push(Math.round(Number(await tab.evaluate(paint))));
            if (target === page && elements === null) {
              await tab.waitForSelector('[data-detail="shown"]', { state: 'attached' });
              const counts = await tab.evaluate((parts) => {
                const template = document.createElement('template');
                let later = 0;
                for (const part of parts) {
                  template.innerHTML = part;
                  later += template.content.querySelectorAll('*').length;
                }
                return { all: document.getElementsByTagName('*').length, later };
              }, deferred);
              elements = counts.all;
              // The <noscript> holders were there at the first paint; what they held came after it.
              firstPaintElements = counts.all - counts.later + deferred.length;
            }
            await context.close();
          }
        }
      } finally {
        await browser.close();
        bare.close();
      }
      firstContentfulPaintMs = median(fcpSamples);
      baselineFcpMs = median(baselineSamples);
      throttled = {
        pageMs: median(slowSamples),
        baselineMs: median(slowBaselineSamples),
        samples: slowSamples,
        baselineSamples: slowBaselineSamples,
      };
    } else {
      note = `Chromium not found at ${CHROMIUM}: first contentful paint not measured.`;
    }
    return {
      page: `/roadmaps/${roadmapId}`,
      resources,
      totals,
      withinBudget: totals.total < BUDGET.totalGzipBytes && totals.js < BUDGET.jsGzipBytes,
      firstContentfulPaintMs,
      fcpSamples,
      baselineFcpMs,
      throttled,
      elements,
      firstPaintElements,
      firstPaintHtmlBytes,
      ...(note ? { note } : {}),
    };
  } finally {
    await app.close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** A short report for the terminal. */
export function formatPageWeight(weight: PageWeight): string {
  const lines = [`Page weight of ${weight.page} (gzip; brotli in brackets):`];
  for (const r of weight.resources)
    lines.push(
      `  ${r.kind.padEnd(4)} ${kb(r.gzipBytes).padStart(9)} (${kb(r.brotliBytes)}; raw ${kb(r.bytes)})  ${r.url.replace(/^https?:\/\/[^/]+/, '')}`,
    );
  lines.push(
    `  HTML ${kb(weight.totals.html)} + CSS ${kb(weight.totals.css)} + JS ${kb(weight.totals.js)} = ${kb(weight.totals.total)}` +
      `  (budget: total < ${kb(BUDGET.totalGzipBytes)}, JS < ${kb(BUDGET.jsGzipBytes)}) ${weight.withinBudget ? 'OK' : 'OVER BUDGET'}`,
  );
  const html = weight.resources.find((r) => r.kind === 'html');
  lines.push(
    `  HTML document: ${kb(html?.bytes ?? 0)} raw, ${weight.elements ?? '?'} elements once loaded;` +
      ` before the first paint ${kb(weight.firstPaintHtmlBytes)} parsed as markup and ${weight.firstPaintElements ?? '?'} elements` +
      ` (the diagram and list are inserted after it) (target: FCP ≤ 1.5× the one-paragraph page)`,
  );
  lines.push(
    weight.firstContentfulPaintMs === null
      ? `  First contentful paint: not measured (${weight.note})`
      : `  First contentful paint (headless Chromium, loopback, cold context): median ${weight.firstContentfulPaintMs} ms of [${weight.fcpSamples.join(', ')}];` +
          ` a one-paragraph page from a bare node:http server paints in ${weight.baselineFcpMs} ms here (ratio ${((weight.firstContentfulPaintMs ?? 0) / Math.max(1, weight.baselineFcpMs ?? 1)).toFixed(2)})`,
  );
  if (weight.throttled)
    lines.push(
      `  With the CPU throttled 4× (CDP Emulation.setCPUThrottlingRate): median ${weight.throttled.pageMs} ms of [${weight.throttled.samples.join(', ')}]` +
        ` vs the one-paragraph page's ${weight.throttled.baselineMs} ms of [${weight.throttled.baselineSamples.join(', ')}] (ratio ${(weight.throttled.pageMs / Math.max(1, weight.throttled.baselineMs)).toFixed(2)})`,
    );
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const weight = await measurePageWeight();
  console.log(formatPageWeight(weight));
  if (!weight.withinBudget) process.exitCode = 1;
}
