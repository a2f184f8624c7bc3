import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadContent } from '../../src/content/content.loader.js';
import { buildSearchIndex, searchTopics, tokenize } from '../../src/content/content.search.js';
import type { SearchIndex } from '../../src/content/content.search.js';
import { VALID_TREE } from './helpers.js';

describe('topic search', () => {
  let index: SearchIndex;
  before(async () => {
    const { content } = await loadContent(VALID_TREE);
    assert.ok(content);
    index = buildSearchIndex(content);
  });

  it('finds a topic by the start of a word in its title', () => {
    assert.deepEqual(searchTopics(index, 'dom'), ['dns']);
  });

  it('ranks a title match above topics that only mention the word', () => {
    const results = searchTopics(index, 'http');
    assert.equal(results[0], 'http-basics');
    assert.ok(results.includes('rest-apis'), 'rest-apis mentions HTTP in its description');
  });

  it('ignores case and accents both ways', () => {
    assert.deepEqual(searchTopics(index, 'NAIVE'), ['html-basics']);
    assert.deepEqual(searchTopics(index, 'naïve'), ['html-basics']);
    assert.deepEqual(searchTopics(index, 'Résolution'), ['dns']);
  });

  it('requires every query word', () => {
    assert.deepEqual(searchTopics(index, 'status codes'), ['http-basics', 'rest-apis']);
    assert.deepEqual(searchTopics(index, 'status dig'), []);
  });

  it('searches checklists, tools and old ids', () => {
    assert.deepEqual(searchTopics(index, 'pagination'), ['rest-apis']);
    assert.deepEqual(searchTopics(index, 'postman'), ['rest-apis']);
    assert.deepEqual(searchTopics(index, 'rest-basics'), ['rest-apis']);
  });

  it('keeps only topics of the given roadmap', () => {
    assert.deepEqual(searchTopics(index, 'server'), ['dns', 'html-basics', 'http-basics']);
    assert.deepEqual(searchTopics(index, 'server', 'frontend'), ['html-basics', 'http-basics']);
    assert.deepEqual(searchTopics(index, 'http', 'ai-engineer'), ['rest-apis']);
    assert.deepEqual(searchTopics(index, 'dns', 'frontend'), []);
  });

  it('returns nothing for an empty or punctuation-only query', () => {
    assert.deepEqual(searchTopics(index, ''), []);
    assert.deepEqual(searchTopics(index, ' -- ? '), []);
  });

  it('tokenizes into folded words', () => {
    assert.deepEqual(tokenize("Café's API: v2"), ['cafe', 's', 'api', 'v2']);
  });
});
