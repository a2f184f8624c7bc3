import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { FeatureManifest } from '../features.js';
import { ASSET_DIR, ASSET_PREFIX, isHashedAsset } from './assets.js';
import { renderErrorPage } from './pages/error.page.js';
import { warmDiagrams } from './roadmap/diagram.layout.js';
import pageRoutes from './pages.routes.js';
import formRoutes from './forms.routes.js';
import emailRoutes from './email.routes.js';

/** Roadmap, topic, account and settings pages with their form routes, plus the built client assets. */
async function webPages(web: FastifyInstance): Promise<void> {
  // Pages and assets are compressed here; the JSON API leaves that to the reverse proxy, as before.
  await web.register(compress, { global: true, encodings: ['br', 'gzip'] });
  const built = existsSync(ASSET_DIR);
  await web.register(fastifyStatic, {
    root: ASSET_DIR,
    prefix: ASSET_PREFIX,
    decorateReply: false,
    dotfiles: 'ignore',
    cacheControl: false,
    suppressWarning: !built,
    setHeaders: (reply, path) => {
      reply.header('cache-control', isHashedAsset(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  await web.register(pageRoutes);
  await web.register(formRoutes);
  await web.register(emailRoutes);
}

/**
 * The web interface: server-rendered pages, their no-JavaScript form routes, the built client assets
 * at /assets/, the top navigation's own links, and the HTML error page for browser navigations.
 */
export const webFeature: FeatureManifest = {
  name: 'web',
  pages: [webPages],
  nav: [
    { section: 'home', href: '/', label: 'Home', order: 10 },
    { section: 'roadmaps', href: '/roadmaps', label: 'Roadmaps', order: 20 },
    { section: 'settings', href: '/settings', label: 'Settings', order: 90 },
  ],
  renderHtmlError: renderErrorPage,
  setup(app) {
    app.addHook('onListen', async () => {
      // A listening server lays the diagrams out now (about a second of CPU), so the first visitor does not
      // wait; apps that are only injected (tests) lay one out when a roadmap page is first asked for.
      warmDiagrams(app.content()).catch((error: unknown) =>
        app.log.error({ err: error }, 'diagram layout failed'),
      );
    });
  },
};
