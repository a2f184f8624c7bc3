import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { topicPath } from '../../src/web/components/topic.js';
import { Client, createTestApp, dialects, json, realContent, type TestApp } from '../helpers.js';
import {
  checksConfig,
  contentWithProjects,
  fixtureProject,
  startFixtureApi,
  type FixtureApi,
} from './fixture.js';

// Where verified projects show up outside /projects: the roadmap page (by step, next to the topics
// they prove), the topic page ("verified", apart from the learner's own status) and the dashboard count.

describe('verified projects on the roadmap, topic and dashboard pages', () => {
  let t: TestApp;
  let api: FixtureApi;
  let projectTopics: string[] = [];

  before(async () => {
    api = await startFixtureApi();
    const sqlite = (await dialects()).find((d) => d.name === 'sqlite')!;
    const content = contentWithProjects(await realContent(), [fixtureProject()]);
    projectTopics = [...content.projects.values()][0]!.topics;
    t = await createTestApp(sqlite, { content, config: { checks: checksConfig() } });
  });
  after(async () => {
    await t?.close();
    await api?.close();
  });

  it('shows the project and, once a run passed, the verified mark and count', async () => {
    const client = new Client(t.app);
    await client.signup('pages@example.org');
    const roadmapBefore = await client.get('/roadmaps/backend');
    assert.match(roadmapBefore.body, /Projects that prove these topics/);
    assert.match(roadmapBefore.body, /A first JSON service \(fixture\)/);
    assert.doesNotMatch(roadmapBefore.body, /roadmap-projects[\s\S]*Verified/);

    const started = json<{ id: string }>(
      await client.post('/api/v1/projects/fixture-json-service/runs', { baseUrl: api.url }),
    );
    for (let i = 0; i < 400; i++) {
      const run = json<{ state: string }>(
        await client.get(`/api/v1/projects/fixture-json-service/runs/${started.id}`),
      );
      if (run.state === 'passed') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    const roadmap = await client.get('/roadmaps/backend');
    assert.match(roadmap.body, /roadmap-projects[\s\S]*fixture-json-service[\s\S]*Verified/);
    const topic = await client.get(topicPath('backend', projectTopics[0]!));
    assert.equal(topic.statusCode, 200);
    assert.match(topic.body, /Prove it with a project[\s\S]*A first JSON service \(fixture\)[\s\S]*Verified/);
    const dashboard = await client.get('/dashboard');
    assert.match(
      dashboard.body,
      /Verified projects<\/h2>\s*<p class="stat-big">1 <span class="stat-unit">of 1/,
    );
    const list = await client.get('/projects');
    assert.match(list.body, /You have verified 1 of 1/);
  });
});
