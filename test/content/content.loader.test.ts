import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadContent } from '../../src/content/content.loader.js';
import { copyValidTree, edit, problemsOf, read, shown, VALID_TREE, write } from './helpers.js';

describe('loadContent on a valid tree', () => {
  it('loads roadmaps, topics and cards with no problems', async () => {
    const { content, problems, stats } = await loadContent(VALID_TREE);
    assert.deepEqual(problems, []);
    assert.ok(content);
    assert.deepEqual(stats, { topics: 4, cards: 20, roadmaps: 3 });
    assert.deepEqual([...content.topics.keys()].sort(), ['dns', 'html-basics', 'http-basics', 'rest-apis']);
    assert.equal(content.cards.size, 20);
  });

  it('lists backend first, then the other roadmaps by title', async () => {
    const { content } = await loadContent(VALID_TREE);
    assert.deepEqual(
      content?.roadmapList.map((roadmap) => roadmap.title),
      ['Backend Developer', 'AI Engineer', 'Frontend Developer'],
    );
  });

  it('gives a topic placed by two roadmaps both roadmap ids, and keeps its home folder', async () => {
    const { content } = await loadContent(VALID_TREE);
    const http = content?.topics.get('http-basics');
    assert.deepEqual(http?.roadmapIds, ['backend', 'frontend']);
    assert.equal(http?.homeRoadmapId, 'backend');
    assert.equal(http?.file, 'valid/backend/topics/http-basics.md');
    assert.deepEqual(content?.topics.get('html-basics')?.roadmapIds, ['frontend']);
  });

  it('builds steps, groups, tools and hour totals from roadmap.yaml', async () => {
    const backend = (await loadContent(VALID_TREE)).content?.roadmaps.get('backend');
    assert.deepEqual(backend?.topicIds, ['dns', 'http-basics', 'rest-apis']);
    assert.deepEqual(
      backend?.steps.map((step) => [step.id, step.groups.map((group) => group.title), step.topicIds]),
      [
        ['foundations', ['The web'], ['dns', 'http-basics']],
        ['apis', ['Designing APIs'], ['rest-apis']],
      ],
    );
    assert.equal(backend?.stepOf.get('rest-apis'), 'apis');
    assert.deepEqual(backend?.tools, ['http-basics']);
    assert.equal(backend?.totalHours, 8.5);
    const frontend = (await loadContent(VALID_TREE)).content?.roadmaps.get('frontend');
    assert.equal(frontend?.totalHours, 7);
    assert.equal(frontend?.requiredHours, 3, 'html-basics is optional');
  });

  it('reads cards, with choices and the 0-based correct answer', async () => {
    const { content } = await loadContent(VALID_TREE);
    assert.deepEqual(content?.cards.get('http-basics/idempotent-methods'), {
      key: 'http-basics/idempotent-methods',
      id: 'idempotent-methods',
      topicId: 'http-basics',
      type: 'choice',
      question: 'Which of these methods is NOT idempotent?',
      answer: 'POST — sending it twice may create two resources.',
      choices: ['GET', 'PUT', 'DELETE', 'POST'],
      correct: 3,
    });
    assert.deepEqual(content?.cards.get('http-basics/not-found')?.choices, ['200', '404', '500']);
    assert.equal(content?.topics.get('dns')?.cards.length, 5);
  });

  it('builds alternative sets and counts a required set once, by its default, in the required hours', async () => {
    const dir = await copyValidTree();
    await write(
      dir,
      'frontend/roadmap.yaml',
      (await read(dir, 'frontend/roadmap.yaml')) +
        'alternatives:\n  - id: first-page\n    title: Your first page\n    default: html-basics\n' +
        '    topics: [http-basics, html-basics]\n',
    );
    const { content, problems } = await loadContent(dir);
    assert.deepEqual(problems, []);
    const frontend = content?.roadmaps.get('frontend');
    assert.deepEqual(frontend?.alternatives, [
      {
        id: 'first-page',
        title: 'Your first page',
        summary: '',
        defaultTopicId: 'html-basics',
        topicIds: ['http-basics', 'html-basics'],
        required: true,
      },
    ]);
    assert.equal(frontend?.alternativeOf.get('http-basics')?.id, 'first-page');
    assert.equal(frontend?.totalHours, 7);
    assert.equal(frontend?.requiredHours, 4, 'only the default, html-basics, is on the required path');
    assert.deepEqual(content?.roadmaps.get('backend')?.alternatives, []);
  });

  it('maps aliases to the surviving topic and keeps retired topics', async () => {
    const { content } = await loadContent(VALID_TREE);
    assert.equal(content?.aliases.get('rest-basics'), 'rest-apis');
    assert.equal(content?.retired.get('soap-basics')?.title, 'SOAP web services');
  });

  it('renders the description and derives a summary cut at a word', async () => {
    const dns = (await loadContent(VALID_TREE)).content?.topics.get('dns');
    assert.ok(dns);
    assert.match(dns.bodyHtml, /^<p>The Domain Name System turns names/);
    assert.ok(dns.bodyHtml.includes('<code>dig</code>'));
    assert.ok(dns.summary.length <= 300);
    assert.ok(dns.summary.endsWith('a time to live…'), dns.summary);
    assert.equal(dns.wordCount, 170);
    assert.deepEqual(dns.checklist[1], {
      id: 'read-a-aaaa-cname-and-mx-records',
      text: 'Read A, AAAA, CNAME and MX records',
    });
    assert.deepEqual(dns.resources[0], {
      type: 'official',
      title: 'RFC 1034 — Domain names, concepts and facilities',
      url: 'https://www.rfc-editor.org/rfc/rfc1034',
    });
  });

  it('versions the content by its bytes: same files, same version; one edit, a new one', async () => {
    const dir = await copyValidTree();
    const before = (await loadContent(dir)).content?.version;
    assert.match(before ?? '', /^[0-9a-f]{16}$/);
    assert.equal((await loadContent(VALID_TREE)).content?.version, before);
    await edit(dir, 'backend/topics/dns.cards.yaml', 'a: MX.', 'a: MX records.');
    assert.notEqual((await loadContent(dir)).content?.version, before);
  });

  it('accepts a tree without retired.yaml', async () => {
    const dir = await copyValidTree();
    await rm(join(dir, 'retired.yaml'));
    const { content, problems } = await loadContent(dir);
    assert.deepEqual(problems, []);
    assert.equal(content?.retired.size, 0);
  });

  it('names problem files relative to the working directory', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/dns.md', 'difficulty: beginner', 'difficulty: easy');
    const { problems } = await loadContent(dir);
    assert.deepEqual(problems, [
      {
        file: shown(dir, 'backend/topics/dns.md'),
        line: 5,
        message: '"difficulty" must be one of beginner, intermediate, advanced, got "easy"',
        severity: 'error',
      },
    ]);
  });
});

describe('loadContent reports each problem at its file:line', () => {
  it('a prerequisite cycle, with its path', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/dns.md', 'prerequisites: []', 'prerequisites: [rest-apis]');
    const { lines, result } = await problemsOf(dir);
    assert.equal(result.content, null);
    assert.deepEqual(lines, [
      'backend/topics/dns.md:7: error: prerequisite cycle: dns -> rest-apis -> http-basics -> dns',
    ]);
  });

  it('an unknown prerequisite, an old id used as one, and a topic needing itself', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/http-basics.md', 'prerequisites: [dns]', 'prerequisites: [dns, tcp-ip]');
    await edit(
      dir,
      'frontend/topics/html-basics.md',
      'prerequisites: [http-basics]',
      'prerequisites: [rest-basics]',
    );
    await edit(dir, 'backend/topics/dns.md', 'prerequisites: []', 'prerequisites:\n  - dns');
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/topics/dns.md:8: error: a topic cannot be its own prerequisite',
      'backend/topics/http-basics.md:7: error: unknown prerequisite "tcp-ip" (no topics/tcp-ip.md in any roadmap folder)',
      'frontend/topics/html-basics.md:7: error: unknown prerequisite "rest-basics" (an old id of "rest-apis": use "rest-apis")',
    ]);
  });

  it('the same topic id in two roadmap folders', async () => {
    const dir = await copyValidTree();
    await write(dir, 'frontend/topics/dns.md', await read(dir, 'backend/topics/dns.md'));
    await write(dir, 'frontend/topics/dns.cards.yaml', await read(dir, 'backend/topics/dns.cards.yaml'));
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      `frontend/topics/dns.md:2: error: duplicate topic id "dns": also defined in ${shown(dir, 'backend/topics/dns.md')}`,
    ]);
  });

  it('a missing field, and a field of the wrong type, naming the type', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/http-basics.md', 'title: "HTTP: requests', '# title: "HTTP: requests');
    await edit(dir, 'backend/topics/http-basics.md', 'estimate_hours: 3', 'estimate_hours: three');
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/topics/http-basics.md:2: error: missing field "title" (string)',
      'backend/topics/http-basics.md:4: error: "estimate_hours" must be a number, got text "three"',
    ]);
  });

  it('a URL that is not https, and one that is not a URL', async () => {
    const dir = await copyValidTree();
    await edit(
      dir,
      'backend/topics/rest-apis.md',
      'url: https://www.rfc-editor',
      'url: http://www.rfc-editor',
    );
    await edit(dir, 'backend/topics/rest-apis.md', 'url: https://ics.uci.edu/', 'url: ics.uci.edu/');
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/topics/rest-apis.md:18: error: resource 1: "url" must start with https://, got "http://www.rfc-editor.org/rfc/rfc9457"',
      'backend/topics/rest-apis.md:21: error: resource 2: "url" is not a valid URL: "ics.uci.edu/~fielding/pubs/dissertation/top.htm"',
    ]);
  });

  it('an unknown resource type', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/dns.md', 'type: article', 'type: blog');
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/topics/dns.md:18: error: resource 2: "type" must be one of official, article, video, course, book, tool, got "blog"',
    ]);
  });

  it('resources: none official, a repeated URL, too few, one without a title', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/dns.md', 'type: official', 'type: article');
    await edit(
      dir,
      'backend/topics/dns.md',
      'url: https://downloads.isc.org/isc/bind9/cur/9.20/doc/arm/html/manpages.html',
      'url: https://www.rfc-editor.org/rfc/rfc1034',
    );
    await edit(
      dir,
      'backend/topics/rest-apis.md',
      '  - type: article\n    title: MDN — HTTP request methods\n    url: https://developer.mozilla.org/en-US/docs/Web/HTTP/Methods\n',
      '',
    );
    await edit(dir, 'backend/topics/http-basics.md', '    title: curl manual', '    # title: curl manual');
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/topics/dns.md:14: error: "resources" needs at least one resource of type "official"',
      'backend/topics/dns.md:23: error: resource 3: duplicate URL https://www.rfc-editor.org/rfc/rfc1034 (also on line 17)',
      'backend/topics/http-basics.md:21: error: resource 3: missing field "title" (string)',
      'backend/topics/rest-apis.md:15: error: "resources" needs at least 3 entries, got 2',
    ]);
  });

  it('a topic placed in no roadmap step', async () => {
    const dir = await copyValidTree();
    const dns = await read(dir, 'backend/topics/dns.md');
    await write(dir, 'backend/topics/orphan.md', dns.replace('id: dns', 'id: orphan'));
    await write(dir, 'backend/topics/orphan.cards.yaml', await read(dir, 'backend/topics/dns.cards.yaml'));
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/topics/orphan.md:2: error: topic "orphan" is not placed in any roadmap step (unreachable): add it to a group in a roadmap.yaml',
    ]);
  });

  it('a description with too few words, pointing at its first line', async () => {
    const dir = await copyValidTree();
    const dns = await read(dir, 'backend/topics/dns.md');
    await write(
      dir,
      'backend/topics/dns.md',
      `${dns.slice(0, dns.indexOf('The Domain Name System'))}Too short to teach anything.\n`,
    );
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/topics/dns.md:26: error: the description has 5 words; it needs 120–300',
    ]);
  });

  it('raw HTML in a description, at its line', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/dns.md', 'packets to. Every', 'packets to. <b>Every</b>');
    await edit(
      dir,
      'backend/topics/dns.md',
      '\nThis topic walks',
      '\n<div>\nA block.\n</div>\n\nThis topic walks',
    );
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/topics/dns.md:27: error: raw HTML in the description: <b> (use Markdown instead)',
      'backend/topics/dns.md:27: error: raw HTML in the description: </b> (use Markdown instead)',
      'backend/topics/dns.md:31: error: raw HTML in the description: <div>\nA block.\n</div> (use Markdown instead)',
    ]);
  });

  it('too few cards', async () => {
    const dir = await copyValidTree();
    const cards = await read(dir, 'backend/topics/dns.cards.yaml');
    await write(dir, 'backend/topics/dns.cards.yaml', cards.slice(0, cards.indexOf('- id: mx')));
    const { lines, result } = await problemsOf(dir);
    assert.deepEqual(lines, ['backend/topics/dns.cards.yaml:1: error: needs at least 5 cards, got 3']);
    assert.deepEqual(result.stats, { topics: 4, cards: 18, roadmaps: 3 });
  });

  it('a choice card whose answer is not an index into its choices', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/http-basics.cards.yaml', 'answer: 3', 'answer: 4');
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/topics/http-basics.cards.yaml:8: error: card "idempotent-methods": "answer" must be a 0-based index into "choices" (0–3), got 4',
    ]);
  });

  it('card problems: duplicate id, empty answer, one choice, repeated choices, missing cards file', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/http-basics.cards.yaml', 'id: safe-methods', 'id: header-purpose');
    await edit(dir, 'backend/topics/dns.cards.yaml', 'a: MX.', 'a: ""');
    await edit(dir, 'backend/topics/dns.cards.yaml', 'choices: [A, AAAA, TXT]', 'choices: [AAAA]');
    await edit(
      dir,
      'backend/topics/rest-apis.cards.yaml',
      '[200 OK, 201 Created, 204 No Content]',
      '[200 OK, 201 Created, 201 Created]',
    );
    await rm(join(dir, 'frontend/topics/html-basics.cards.yaml'));
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/topics/dns.cards.yaml:12: error: card "mx": "a" must be a non-empty string, got nothing',
      'backend/topics/dns.cards.yaml:16: error: card "aaaa": "choices" needs 2–6 entries, got 1',
      'backend/topics/http-basics.cards.yaml:13: error: duplicate card id "header-purpose" (also on line 10)',
      'backend/topics/rest-apis.cards.yaml:16: error: card "created-status": duplicate choice "201 Created"',
      'frontend/topics/html-basics.md:1: error: missing cards file html-basics.cards.yaml next to this topic',
    ]);
  });

  it('an alias that is a live topic id, and an alias claimed twice', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/rest-apis.md', 'aliases: [rest-basics]', 'aliases: [rest-basics, dns]');
    await edit(dir, 'frontend/topics/html-basics.md', 'aliases: []', 'aliases: [rest-basics]');
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      `backend/topics/rest-apis.md:9: error: alias "dns" collides with the live topic id "dns" (${shown(dir, 'backend/topics/dns.md')})`,
      'frontend/topics/html-basics.md:9: error: alias "rest-basics" appears twice: it is already an alias of "rest-apis"',
    ]);
  });

  it('a retired id that is still a live topic', async () => {
    const dir = await copyValidTree();
    await write(
      dir,
      'retired.yaml',
      '# retired\n- id: soap-basics\n  title: SOAP\n- id: dns\n  title: DNS\n',
    );
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      `retired.yaml:4: error: retired id "dns" is still a live topic (${shown(dir, 'backend/topics/dns.md')})`,
    ]);
  });

  it('a YAML syntax error in roadmap.yaml, at its line and without follow-on noise', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/roadmap.yaml', '- title: The web', '- title: The web: basics');
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/roadmap.yaml:11: error: YAML syntax error: Nested mappings are not allowed in compact mappings (a value containing ": " must be quoted)',
    ]);
  });

  it('a YAML syntax error in front matter, at the value left open, counted from the top of the file', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/rest-apis.md', 'tools: [curl, Postman]', 'tools: [curl, Postman');
    await edit(dir, 'backend/topics/dns.md', 'title: DNS and domain names', 'title: "DNS and domain names');
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/topics/dns.md:3: error: YAML syntax error: Missing closing "quote',
      'backend/topics/rest-apis.md:8: error: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('front matter fields out of range', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/dns.md', 'id: dns', 'id: DNS_Records');
    await edit(dir, 'backend/topics/dns.md', 'title: DNS and domain names', 'title: DN');
    await edit(dir, 'backend/topics/dns.md', 'estimate_hours: 1.5', 'estimate_hours: 1.25');
    await edit(dir, 'backend/topics/dns.md', 'optional: false', 'optional: no');
    await edit(
      dir,
      'backend/topics/dns.md',
      '  - Predict the effect of a TTL',
      '  - Explain what a RESOLVER does!',
    );
    await edit(dir, 'backend/topics/http-basics.md', 'id: http-basics', 'id: http');
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/topics/dns.md:2: error: id "DNS_Records" must be lowercase letters and digits joined by single hyphens, at most 64 characters',
      'backend/topics/dns.md:3: error: "title" must be 3–120 characters, got 2',
      'backend/topics/dns.md:4: error: "estimate_hours" must be 0.5–60 in steps of 0.5, got 1.25',
      'backend/topics/dns.md:6: error: "optional" must be true or false, got text "no"',
      'backend/topics/dns.md:13: error: duplicate checklist item "Explain what a RESOLVER does!" (same as line 11)',
      'backend/topics/http-basics.md:2: error: id "http" must equal the file name "http-basics"',
    ]);
  });

  it('warns about an unknown key but still loads', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/topics/dns.md', 'optional: false', 'optinal: false');
    await edit(
      dir,
      'backend/topics/dns.cards.yaml',
      'q: What is a CNAME record?',
      'q: What is a CNAME record?\n  hint: an alias',
    );
    const { lines, result } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'backend/topics/dns.cards.yaml:9: warning: card "cname": unknown key "hint" (ignored); expected one of: id, type, q, a, choices, answer',
      'backend/topics/dns.md:6: warning: unknown key "optinal" (ignored); did you mean "optional"?',
    ]);
    assert.ok(result.content, 'warnings do not stop the server');
  });

  it('roadmap problems: unknown topic, placed twice, tool not placed, wrong id, empty group', async () => {
    const dir = await copyValidTree();
    await edit(dir, 'backend/roadmap.yaml', 'topics: [rest-apis]', 'topics: [rest-apis, dns, htp-basics]');
    await edit(dir, 'backend/roadmap.yaml', 'tools: [http-basics]', 'tools: [http-basics, html-basics]');
    await edit(dir, 'frontend/roadmap.yaml', 'id: frontend', 'id: front-end');
    await edit(dir, 'ai-engineer/roadmap.yaml', 'topics: [rest-apis]', 'topics: []');
    await write(dir, 'ai-engineer/topics/llm-apis.cards.yaml', '[]\n');
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'ai-engineer/roadmap.yaml:11: error: step "apis", group 1: "topics" needs at least one topic id',
      'ai-engineer/topics/llm-apis.cards.yaml:1: error: cards without a topic: there is no llm-apis.md next to this file',
      'backend/roadmap.yaml:19: error: topic "dns" is placed twice in this roadmap (first on line 13)',
      'backend/roadmap.yaml:19: error: unknown topic "htp-basics"; did you mean "http-basics"?',
      'backend/roadmap.yaml:20: error: tools entry "html-basics" is not placed in any step of this roadmap',
      'frontend/roadmap.yaml:1: error: roadmap id "front-end" must equal the folder name "frontend"',
    ]);
  });

  it('a roadmap folder without roadmap.yaml', async () => {
    const dir = await copyValidTree();
    await rm(join(dir, 'ai-engineer/roadmap.yaml'));
    const { lines } = await problemsOf(dir);
    assert.deepEqual(lines, [
      'ai-engineer/roadmap.yaml:1: error: missing roadmap.yaml: every roadmap folder needs one',
    ]);
  });

  it('a content folder that does not exist', async () => {
    const { content, problems } = await loadContent('/nonexistent/waymark-roadmaps');
    assert.equal(content, null);
    assert.equal(problems[0]?.message, 'content folder not found or not readable');
  });
});
