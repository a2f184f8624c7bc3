import type { FastifyInstance } from 'fastify';
import type { FeatureManifest } from '../features.js';
import { projectsUserData } from './projects.data.js';
import { registerRunMetrics } from './projects.metrics.js';
import projectsRoutes from './projects.routes.js';
import { startProjectsRuntime } from './projects.runtime.js';
import { projectSchemas } from './projects.schemas.js';
import { createThreadedRunner } from './runner.thread.js';
import verificationRoutes from './verification.routes.js';
import projectPages from './web/projects.web.js';

/**
 * The run queue and everything that shares it: the API, the verification routes and the /projects
 * pages are registered together in one plugin because they all take the same runtime.
 */
async function projectsPlugin(app: FastifyInstance): Promise<void> {
  let finished: ((run: Parameters<ReturnType<typeof registerRunMetrics>['finished']>[0]) => void) | undefined;
  // Checks execute in worker threads so newman's test scripts never stall this app's requests.
  const runner = createThreadedRunner();
  const runtime = await startProjectsRuntime({
    db: app.db,
    config: app.config,
    clock: app.clock,
    content: () => app.content(),
    redis: app.redis,
    consume: !app.redis || app.config.checks.inlineWorker,
    runChecks: runner.runChecks,
    onFinished: (run) => finished?.(run),
    log: (message, error) => app.log.error({ err: error }, message),
  });
  app.addHook('onClose', async () => {
    await runtime.close(); // stops (and so cancels) runs while their workers can still answer
    await runner.close();
  });
  if (app.hasDecorator('metrics')) {
    finished = registerRunMetrics(app.metrics, () => runtime.queue.depth()).finished;
  }
  // Shared by the API plugins below (and the OpenAPI document).
  for (const schema of projectSchemas) app.addSchema(schema);
  await app.register(projectsRoutes, { runtime });
  await app.register(verificationRoutes, { runtime });
  await app.register(projectPages, { runtime });
}

/**
 * Verified projects: the API (projects.routes.ts, verification.routes.ts), the run queue (in this
 * process, or BullMQ with REDIS_URL), live run streams, signed evidence, the `projects` export
 * section (projects.data.ts), metrics, and the /projects pages.
 */
export const projectsFeature: FeatureManifest = {
  name: 'projects',
  routes: [projectsPlugin],
  userData: projectsUserData,
  nav: [{ section: 'projects', href: '/projects', label: 'Projects', order: 60 }],
};
