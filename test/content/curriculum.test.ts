import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadContent } from '../../src/content/content.loader.js';

const { content, problems } = await loadContent('roadmaps');

describe('the shipped curriculum', () => {
  it('lints clean', () => {
    assert.deepEqual(
      problems.map((p) => `${p.file}:${p.line}: ${p.message}`),
      [],
    );
    assert.ok(content);
  });

  it('the backend roadmap has the six steps of the brief, at least 190 topics and the tools section', () => {
    const backend = content!.roadmaps.get('backend')!;
    assert.deepEqual(
      backend.steps.map((s) => s.title),
      [
        'Foundations',
        'Advanced concepts',
        'API development and integration',
        'Troubleshooting and optimisation',
        'Cloud infrastructure and deployment',
        'Advanced topics and projects',
      ],
    );
    assert.ok(backend.topicIds.length >= 190, `${backend.topicIds.length} topics`);
    for (const tool of [
      'mysql',
      'mongodb',
      'nodejs-runtime',
      'apache-http-server',
      'litespeed',
      'tls-certificates',
      'git-basics',
    ]) {
      assert.ok(backend.tools.includes(tool), tool);
    }
  });

  it('offers every mainstream first language and the widely deployed relational engines as choose-one sets', () => {
    const backend = content!.roadmaps.get('backend')!;
    const members = (id: string): string[] =>
      backend.alternatives.find((set) => set.id === id)?.topicIds ?? [];
    for (const language of ['javascript', 'python', 'php', 'go', 'java', 'csharp', 'ruby', 'rust']) {
      assert.ok(members('first-language').includes(`${language}-basics`), language);
    }
    for (const engine of ['postgresql', 'mysql', 'mariadb', 'sql-server', 'oracle-database']) {
      assert.ok(members('relational-database').includes(engine), engine);
    }
  });

  it('the required path, one member per alternative set (its default), fits the weeks at the default hours', () => {
    const backend = content!.roadmaps.get('backend')!;
    const onPath = (id: string): boolean => {
      const set = backend.alternativeOf.get(id);
      return set ? set.required && set.defaultTopicId === id : !content!.topics.get(id)!.optional;
    };
    const required = backend.topicIds
      .filter(onPath)
      .map((id) => content!.topics.get(id)!)
      .reduce((sum, t) => sum + t.estimateHours, 0);
    assert.equal(backend.requiredHours, required);
    for (const set of backend.alternatives) {
      assert.equal(set.topicIds.filter(onPath).length, set.required ? 1 : 0, set.id);
    }
    const capacity = backend.weeks * backend.hoursPerWeek;
    assert.equal(backend.weeks, 26);
    assert.ok(required <= capacity, `required ${required} h exceeds ${capacity} h`);
    assert.ok(required >= capacity * 0.85, `required ${required} h is far below ${capacity} h`);
  });

  it('every topic is substantial: 120–300 words, 3–8 key concepts, 3+ resources with an official one, 5+ cards', () => {
    for (const topic of content!.topics.values()) {
      assert.ok(topic.wordCount >= 120 && topic.wordCount <= 300, `${topic.id}: ${topic.wordCount} words`);
      assert.ok(topic.checklist.length >= 3 && topic.checklist.length <= 8, topic.id);
      assert.ok(topic.resources.length >= 3, topic.id);
      assert.ok(
        topic.resources.some((r) => r.type === 'official'),
        topic.id,
      );
      assert.ok(topic.cards.length >= 5, topic.id);
      assert.ok(
        topic.cards.some((c) => c.type === 'choice'),
        `${topic.id} has a multiple-choice card`,
      );
    }
  });

  it('the frontend roadmap has 30+ topics and shares Git, HTTP and browsers with the backend', () => {
    const frontend = content!.roadmaps.get('frontend')!;
    assert.ok(frontend.topicIds.length >= 30);
    for (const shared of ['git-basics', 'http-basics', 'browsers-and-the-web']) {
      assert.deepEqual(content!.topics.get(shared)!.roadmapIds.sort(), ['backend', 'frontend']);
    }
  });
});
