import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, dialects, type TestApp } from '../helpers.js';
import { FormBrowser } from '../web/web-helpers.js';
import { contentWithLanguages } from './content.js';

// What a learner sees of "choose one of" sets without JavaScript: the framed chooser on the roadmap
// page, the words "chosen" / "alternative" in the diagram and the list, the note on a topic page, and
// the pick named on the print page and in the CSV and Markdown exports.

const [sqlite] = await dialects();

describe('alternative sets on the pages (sqlite)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(sqlite!, { content: await contentWithLanguages() });
  });
  after(async () => t?.close());

  it('shows the set as "Choose one of" with the default chosen, in the chooser, the diagram and the list', async () => {
    const page = await new FormBrowser(t.app).get('/roadmaps/backend');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<legend>Choose one of: Your first server-side language/);
    assert.match(page.body, /value="javascript-basics" checked/);
    assert.match(page.body, /class="node [^"]*alt alt-chosen" data-topic="javascript-basics"/);
    assert.match(page.body, /class="node [^"]*alt alt-alternative[^"]*" data-topic="python-basics"/);
    assert.match(page.body, /data-topic="python-basics"[\s\S]*?>alternative<\/text>/);
    assert.match(page.body, /one of “Your first server-side language”(<!-- -->)? · chosen/);
    assert.match(page.body, /Choose one of: dotted frame/);
  });

  it('switches with the no-JavaScript form, and every page and export names the pick', async () => {
    const browser = new FormBrowser(t.app);
    const posted = await browser.post('/roadmaps/backend/alternatives/first-language', {
      topicId: 'python-basics',
      return: '/roadmaps/backend',
    });
    assert.equal(posted.statusCode, 303, posted.body);
    assert.equal(posted.headers.location, '/roadmaps/backend');
    const page = await browser.get('/roadmaps/backend');
    assert.match(page.body, /value="python-basics" checked/);
    assert.match(page.body, /class="node [^"]*alt-chosen[^"]*" data-topic="python-basics"/);

    const topic = await browser.get('/roadmaps/backend/topics/javascript-basics');
    assert.match(topic.body, /Not your current choice/);
    assert.match(topic.body, /Choose this one instead/);
    assert.match(
      (await browser.get('/roadmaps/backend/topics/python-basics')).body,
      /This is your choice \(chosen\)/,
    );

    const print = await browser.get('/roadmaps/backend/print');
    assert.match(print.body, /choose one of Your first server-side language: chosen/);
    const md = await browser.api('GET', '/api/v1/roadmaps/backend/checklist.md');
    assert.match(md.body, /Python[^\n]*choose one of Your first server-side language: chosen/);
    assert.match(md.body, /JavaScript[^\n]*choose one of Your first server-side language: not chosen/);

    const wrong = await browser.post('/roadmaps/backend/alternatives/first-language', { topicId: 'kafka' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /not one of the topics/);
  });

  it('names the pick in the CSV export', async () => {
    const browser = new FormBrowser(t.app);
    await browser.post('/signup', { email: 'csv-choice@example.org', password: 'a long password 42' });
    await browser.post('/roadmaps/backend/alternatives/first-language', { topicId: 'php-basics' });
    const csv = await browser.api('GET', '/api/v1/me/export.csv');
    assert.equal(csv.statusCode, 200, csv.body);
    const php = csv.body.split('\r\n').find((line) => line.includes(',php-basics,'));
    assert.match(php ?? '', /choose one of Your first server-side language: chosen$/);
  });
});
