// Quick self-check for content writers while the real linter (`waymark lint`) is not available.
// Usage: node scripts/check-draft.mjs <topics-dir> [comma-separated ids]
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

const [dir, idList] = process.argv.slice(2);
const outlineIds = new Set();
for (const f of ['docs/backend-outline.txt', 'docs/frontend-outline.txt']) {
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    const m = /^([a-z0-9-]+)( |$)/.exec(line);
    if (m) outlineIds.add(m[1]);
  }
}
const ids = idList ? idList.split(',') : [];
let problems = 0;
const bad = (id, msg) => {
  problems++;
  console.log(`${id}: ${msg}`);
};
for (const id of ids) {
  const md = join(dir, `${id}.md`);
  const cards = join(dir, `${id}.cards.yaml`);
  if (!existsSync(md)) {
    bad(id, 'missing .md');
    continue;
  }
  const text = readFileSync(md, 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!m) {
    bad(id, 'no front matter');
    continue;
  }
  let fm;
  try {
    fm = YAML.parse(m[1]);
  } catch (e) {
    bad(id, 'front matter YAML: ' + e.message);
    continue;
  }
  if (fm.id !== id) bad(id, 'id mismatch');
  for (const k of [
    'title',
    'estimate_hours',
    'difficulty',
    'optional',
    'prerequisites',
    'tools',
    'aliases',
    'checklist',
    'resources',
  ])
    if (fm[k] === undefined) bad(id, `missing ${k}`);
  const words = m[2].split(/\s+/).filter(Boolean).length;
  if (words < 120 || words > 300) bad(id, `description has ${words} words (120-300)`);
  if (/<[a-z]/i.test(m[2])) bad(id, 'raw HTML in description');
  if (!Array.isArray(fm.checklist) || fm.checklist.length < 3 || fm.checklist.length > 8)
    bad(id, 'checklist needs 3-8 items');
  const res = Array.isArray(fm.resources) ? fm.resources : [];
  if (res.length < 3) bad(id, 'needs >= 3 resources');
  if (!res.some((r) => r.type === 'official')) bad(id, 'needs an official resource');
  const urls = new Set();
  for (const r of res) {
    if (!['official', 'article', 'video', 'course', 'book', 'tool'].includes(r.type))
      bad(id, `bad resource type ${r.type}`);
    if (!/^https:\/\/[^\s]+$/.test(r.url ?? '')) bad(id, `bad url ${r.url}`);
    if (urls.has(r.url)) bad(id, `duplicate url ${r.url}`);
    urls.add(r.url);
    if (!r.title) bad(id, 'resource without title');
  }
  for (const p of fm.prerequisites ?? [])
    if (!outlineIds.has(p) || p === id) bad(id, `unknown prerequisite ${p}`);
  if (!existsSync(cards)) {
    bad(id, 'missing .cards.yaml');
    continue;
  }
  let cs;
  try {
    cs = YAML.parse(readFileSync(cards, 'utf8'));
  } catch (e) {
    bad(id, 'cards YAML: ' + e.message);
    continue;
  }
  if (!Array.isArray(cs) || cs.length < 5) {
    bad(id, 'needs >= 5 cards');
    continue;
  }
  const cids = new Set();
  for (const c of cs) {
    if (!c.id || cids.has(c.id)) bad(id, `card id missing or duplicate: ${c.id}`);
    cids.add(c.id);
    if (!c.q || !c.a) bad(id, `card ${c.id} needs q and a`);
    if (c.type === 'choice') {
      if (!Array.isArray(c.choices) || c.choices.length < 2) bad(id, `card ${c.id} needs choices`);
      else if (!Number.isInteger(c.answer) || c.answer < 0 || c.answer >= c.choices.length)
        bad(id, `card ${c.id} answer index out of range`);
    }
  }
}
console.log(`${ids.length} topics checked, ${problems} problems`);
process.exitCode = problems ? 1 : 0;
