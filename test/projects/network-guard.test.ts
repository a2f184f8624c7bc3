import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  classifyAddress,
  guardedAgents,
  isAllowedAddress,
  TargetRefusedError,
  vetHost,
  vetUrl,
  type GuardPolicy,
} from '../../src/projects/network-guard.js';
import { runChecks } from '../../src/projects/runner.js';

// The SSRF guard refuses every internal range, pins connections to the vetted address and refuses
// redirects to internal addresses. No test here sends a packet anywhere but 127.0.0.1: refused
// addresses are refused before any connection is attempted.

const STRICT: GuardPolicy = { allowPrivate: false };

describe('classifyAddress', () => {
  const cases: Array<[string, string]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:c0a8:0101::1', 'private'],
    ['2002:7f00:0001::', 'loopback'],
    ['[::1]', 'loopback'],
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['not-an-ip', 'invalid'],
  ];
  for (const [address, expected] of cases) {
    it(`${address} is ${expected}`, () => assert.equal(classifyAddress(address), expected));
  }
});

describe('isAllowedAddress', () => {
  it('refuses every non-public category by default', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '169.254.1.1',
      '100.64.0.1',
      '::1',
      'fc00::1',
      '::ffff:127.0.0.1',
    ]) {
      assert.equal(isAllowedAddress(address, STRICT), false, address);
    }
    assert.equal(isAllowedAddress('8.8.8.8', STRICT), true);
  });

  it('allows loopback and private ranges only when the operator allows private targets', () => {
    const open: GuardPolicy = { allowPrivate: true };
    for (const address of ['127.0.0.1', '10.0.0.1', '192.168.0.2', '::1', 'fd12::1', '100.64.0.1']) {
      assert.equal(isAllowedAddress(address, open), true, address);
    }
  });

  it('never allows metadata, multicast, unspecified, broadcast or reserved addresses, even then', () => {
    const open: GuardPolicy = { allowPrivate: true };
    for (const address of [
      '169.254.169.254',
      'fd00:ec2::254',
      '::ffff:169.254.169.254',
      '224.0.0.1',
      '0.0.0.0',
      '::',
      '255.255.255.255',
      '240.0.0.1',
    ]) {
      assert.equal(isAllowedAddress(address, open), false, address);
    }
  });
});

describe('vetHost and vetUrl', () => {
  it('refuses a name that resolves to any internal address, naming it', async () => {
    const policy: GuardPolicy = {
      allowPrivate: false,
      resolve: async () => [
        { address: '8.8.8.8', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ],
    };
    await assert.rejects(vetHost('api.learner.test', policy), (error: unknown) => {
      assert.ok(error instanceof TargetRefusedError);
      assert.equal(error.category, 'private');
      assert.match(error.message, /api\.learner\.test \(10\.0\.0\.7\) is a private network address/);
      assert.match(error.message, /WAYMARK_CHECKS_ALLOW_PRIVATE/);
      return true;
    });
  });

  it('refuses an unresolvable name with a clear message', async () => {
    const policy: GuardPolicy = {
      allowPrivate: false,
      resolve: async () => {
        throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
      },
    };
    await assert.rejects(
      vetHost('nowhere.test', policy),
      /nowhere\.test could not be resolved \(ENOTFOUND\)/,
    );
  });

  it('refuses IP literals (including bracketed IPv6 and mapped forms) and non-http schemes', async () => {
    for (const url of [
      'http://127.0.0.1:8080',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://169.254.169.254/latest/meta-data',
      'http://0x7f.1/',
      'http://2130706433/',
      'http://[fd00:ec2::254]/',
    ]) {
      await assert.rejects(vetUrl(url, STRICT), TargetRefusedError, url);
    }
    await assert.rejects(vetUrl('file:///etc/passwd', STRICT), /Only http:\/\/ and https:\/\//);
    await assert.rejects(vetUrl('gopher://example.org', STRICT), /Only http:\/\/ and https:\/\//);
  });

  it('accepts a public address', async () => {
    const vetted = await vetUrl('https://[2606:4700:4700::1111]/', STRICT);
    assert.equal(vetted.address, '2606:4700:4700::1111');
  });
});

describe('guarded agents against a loopback fixture', () => {
  let server: http.Server;
  let port = 0;
  const hits: string[] = [];
  before(async () => {
    server = http.createServer((request, response) => {
      hits.push(request.url ?? '');
      const target = /^\/redirect\?to=(.*)$/.exec(request.url ?? '');
      if (target) {
        response.writeHead(302, { location: decodeURIComponent(target[1]!) });
        response.end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: true, path: request.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // Only the fixture's exact address is let through, so everything else on loopback stays refused.
  const fixtureOnly = (resolve?: GuardPolicy['resolve']): GuardPolicy => ({
    allowPrivate: false,
    allowAddresses: ['127.0.0.1'],
    ...(resolve ? { resolve } : {}),
  });

  function get(url: string, agent: http.Agent): Promise<number> {
    return new Promise((resolve, reject) => {
      http
        .get(url, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        })
        .on('error', reject);
    });
  }

  it('refuses a connection to an internal IP literal before connecting', async () => {
    const agents = guardedAgents(fixtureOnly());
    await assert.rejects(get('http://127.0.0.2:9/', agents.http), /127\.0\.0\.2 is a loopback address/);
    await assert.rejects(get('http://169.254.169.254/latest/meta-data', agents.http), /cloud metadata/);
    await assert.rejects(get('http://[::ffff:127.0.0.1]:9/', agents.http), TargetRefusedError);
    assert.equal(await get(`http://127.0.0.1:${port}/fine`, agents.http), 200);
  });

  it('pins a name to the address vetted first: a second DNS answer (rebinding) is never used', async () => {
    const answers = ['127.0.0.1', '10.0.0.9'];
    let lookups = 0;
    const agents = guardedAgents(
      fixtureOnly(async () => [{ address: answers[Math.min(lookups++, 1)]!, family: 4 }]),
    );
    assert.equal(await get(`http://learner.test:${port}/one`, agents.http), 200);
    assert.equal(await get(`http://learner.test:${port}/two`, agents.http), 200);
    assert.equal(lookups, 1, 'the name was resolved once per run');
  });

  it('uses the pin handed over from the check made when the run was accepted', async () => {
    let lookups = 0;
    const agents = guardedAgents(
      fixtureOnly(async () => {
        lookups += 1;
        return [{ address: '10.0.0.9', family: 4 }];
      }),
      { 'learner.test': { address: '127.0.0.1', family: 4 } },
    );
    assert.equal(await get(`http://learner.test:${port}/pinned`, agents.http), 200);
    assert.equal(lookups, 0);
  });

  it('refuses a name whose answer is internal', async () => {
    const agents = guardedAgents(fixtureOnly(async () => [{ address: '192.168.0.10', family: 4 }]));
    await assert.rejects(get(`http://intranet.test:${port}/`, agents.http), /private network address/);
  });

  it('a newman run never reaches a refused address through a redirect, even when a request asks to follow it', async () => {
    const collection = {
      info: {
        name: 'redirects',
        schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
      },
      item: [
        {
          name: 'follows a redirect to metadata',
          protocolProfileBehavior: { followRedirects: true },
          request: {
            method: 'GET',
            url: '{{baseUrl}}/redirect?to=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data',
          },
          event: [
            { listen: 'test', script: { exec: ["pm.test('ok', () => pm.response.to.have.status(200));"] } },
          ],
        },
        {
          name: 'follows a redirect to another loopback address',
          protocolProfileBehavior: { followRedirects: true },
          request: {
            method: 'GET',
            url: `{{baseUrl}}/redirect?to=http%3A%2F%2F127.0.0.2%3A${port}%2Fsecret`,
          },
          event: [
            { listen: 'test', script: { exec: ["pm.test('ok', () => pm.response.to.have.status(200));"] } },
          ],
        },
      ],
    };
    hits.length = 0;
    const outcome = await runChecks({
      collection,
      baseUrl: `http://127.0.0.1:${port}`,
      requestAgents: guardedAgents(fixtureOnly()),
    });
    assert.notEqual(outcome.outcome, 'passed');
    assert.equal(outcome.checks.length, 2);
    for (const check of outcome.checks) {
      assert.equal(check.passed, false);
      assert.notEqual(check.status, 200);
    }
    assert.match(outcome.checks[0]!.error ?? '', /cloud metadata/);
    assert.match(outcome.checks[1]!.error ?? '', /127\.0\.0\.2 is a loopback address/);
    assert.ok(!hits.includes('/secret'), 'the refused address was never reached');
  });
});
