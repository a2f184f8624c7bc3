// A worker process for the crash tests: the same runtime `waymark worker` starts (queue, executor,
// sweep), with the fixture project's content. Settings come from the environment like the real one.
// It prints "ready" once consuming; the test kills it with SIGKILL mid-run.
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { systemClock } from '../../src/lib/clock.js';
import { startProjectsRuntime } from '../../src/projects/projects.runtime.js';
import { runChecks } from '../../src/projects/runner.js';
import { realContent } from '../helpers.js';
import { contentWithProjects, fixtureProject } from './fixture.js';

const config = loadConfig(process.env);
const content = contentWithProjects(await realContent(), [fixtureProject()]);
const db = openDatabase(config.databaseUrl);
const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : null;
await startProjectsRuntime({
  db,
  config,
  clock: systemClock,
  content: () => content,
  redis,
  consume: true,
  runChecks,
});
console.log('ready');
await new Promise(() => {});
