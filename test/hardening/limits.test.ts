import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, dialects, json, type TestApp } from '../helpers.js';
import { importLargestAccount } from '../resilience/largest-account.js';

const [sqlite] = await dialects();

/**
 * Issue 14, item 1: what one account can store is bounded (src/account/limits.ts), and more is a
 * 4xx naming the limit. (The timing check on the largest account is in the resilience suite.)
 */
describe('storage limits per account', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(sqlite!);
  });
  after(async () => t?.close());

  it('refuses more than the limits with a 4xx that names the limit', async () => {
    const { client, document } = await importLargestAccount(t, 'over@example.org');
    const plan = document.plan.plans[0];
    const version = plan.versions[0];
    version.weeks = [...version.weeks, { ...version.weeks[0], index: version.weeks.length }];
    const res = await client.post('/api/v1/me/import', document);
    assert.equal(res.statusCode, 400);
    assert.match(json<{ detail: string }>(res).detail, /the limit is 156 weeks in a plan/);
    version.weeks.pop();
    document.progress.activity.push(document.progress.activity[0]);
    const activity = await client.post('/api/v1/me/import', document);
    assert.equal(activity.statusCode, 400);
    assert.match(json<{ detail: string }>(activity).detail, /the limit is \d+ activity entries per import/);
  });
});
