import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import ipaddr from 'ipaddr.js';

// The SSRF guard for project checks. A learner gives Waymark a URL and Waymark's server sends requests
// to it, so without this the checker would be a way into the server's own network (its database, the
// cloud metadata service, an admin panel on loopback). Every connection a run opens, including those
// that follow redirects, goes through the agents made here: the target is resolved once, every address
// is classified, and the socket is pinned to the vetted address so a second DNS answer (rebinding)
// cannot move it.

/** Why an address is refused; `public` is the only category a run may reach by default. */
export type AddressCategory =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'reserved'
  | 'metadata'
  | 'invalid';

/** Categories that the operator may open up (a learner checking their own laptop or LAN). */
const PRIVATE_CATEGORIES: ReadonlySet<AddressCategory> = new Set([
  'loopback',
  'private',
  'link-local',
  'cgnat',
]);

/** Cloud instance-metadata endpoints: refused even when private targets are allowed. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200']);

const IPV4_CATEGORIES: Record<string, AddressCategory> = {
  unicast: 'public',
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local',
  carrierGradeNat: 'cgnat',
  multicast: 'multicast',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
};

const IPV6_CATEGORIES: Record<string, AddressCategory> = {
  unicast: 'public',
  loopback: 'loopback',
  uniqueLocal: 'private',
  linkLocal: 'link-local',
  multicast: 'multicast',
  unspecified: 'unspecified',
};

const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');

/** The IPv4 address carried inside an IPv6 one (mapped, NAT64 well-known prefix, 6to4), if any. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = address.range();
  const bytes = address.toByteArray();
  if (range === 'ipv4Mapped' || address.match(NAT64_WELL_KNOWN)) {
    return new ipaddr.IPv4(bytes.slice(12, 16));
  }
  if (range === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return null;
}

/**
 * Classifies one IP address (v4 or v6 text). Anything that is not plainly a public unicast address
 * is refused by category; IPv6 forms that embed an IPv4 address are judged by that address.
 *
 * @example classifyAddress('::ffff:127.0.0.1') // 'loopback'
 */
export function classifyAddress(text: string): AddressCategory {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(bare) === 0) return 'invalid';
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(bare);
  } catch {
    return 'invalid';
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (METADATA_ADDRESSES.has(v6.toString())) return 'metadata';
    const inner = embeddedIPv4(v6);
    if (inner) return classifyAddress(inner.toString());
    return IPV6_CATEGORIES[v6.range()] ?? 'reserved';
  }
  const v4 = parsed as ipaddr.IPv4;
  if (METADATA_ADDRESSES.has(v4.toString())) return 'metadata';
  return IPV4_CATEGORIES[v4.range()] ?? 'reserved';
}

/** What the operator allows a run to reach. */
export interface GuardPolicy {
  /** Loopback, private (RFC 1918, fc00::/7), link-local and CGNAT targets (never metadata, multicast…). */
  allowPrivate: boolean;
  /**
   * Exact addresses allowed whatever their category (test fixtures on 127.0.0.1 while proving that
   * everything else on loopback is refused). Empty in production.
   */
  allowAddresses?: readonly string[];
  /** Name resolution; the system resolver by default (tests inject one to simulate rebinding). */
  resolve?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
}

/** A target the guard refused; its message is shown to the learner as is. */
export class TargetRefusedError extends Error {
  constructor(
    readonly host: string,
    readonly address: string | null,
    readonly category: AddressCategory | 'unresolvable' | 'scheme' | 'socket',
    message: string,
  ) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

const CATEGORY_WORDS: Record<AddressCategory, string> = {
  public: 'a public address',
  loopback: "a loopback address (this server's own machine)",
  private: 'a private network address',
  'link-local': 'a link-local address',
  cgnat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  reserved: 'a reserved address',
  metadata: 'a cloud metadata service address',
  invalid: 'not a valid address',
};

/** Whether `address` may be connected to under `policy`. */
export function isAllowedAddress(address: string, policy: GuardPolicy): boolean {
  const category = classifyAddress(address);
  if (category === 'public') return true;
  const bare = address.replace(/^\[|\]$/g, '');
  if (policy.allowAddresses?.includes(bare)) return true;
  return policy.allowPrivate && PRIVATE_CATEGORIES.has(category);
}

function refusal(host: string, address: string, policy: GuardPolicy): TargetRefusedError {
  const category = classifyAddress(address);
  const shown = host === address ? host : `${host} (${address})`;
  const hint =
    PRIVATE_CATEGORIES.has(category) && !policy.allowPrivate
      ? ' Checks may only reach public addresses on this server; the operator can allow private targets with WAYMARK_CHECKS_ALLOW_PRIVATE=true.'
      : ' Checks never reach such addresses.';
  return new TargetRefusedError(host, address, category, `${shown} is ${CATEGORY_WORDS[category]}.${hint}`);
}

const systemResolve = async (hostname: string) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Resolves `host` once and returns the address to connect to, or throws {@link TargetRefusedError}.
 * A name with several addresses is refused if any of them is refused, so the answer cannot be
 * split between a public and an internal address.
 */
export async function vetHost(
  host: string,
  policy: GuardPolicy,
): Promise<{ address: string; family: 4 | 6 }> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) {
    if (!isAllowedAddress(bare, policy)) throw refusal(host, bare, policy);
    return { address: bare, family: isIP(bare) as 4 | 6 };
  }
  let answers: Array<{ address: string; family: number }>;
  try {
    answers = await (policy.resolve ?? systemResolve)(bare);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
    throw new TargetRefusedError(host, null, 'unresolvable', `${host} could not be resolved (${reason}).`);
  }
  if (answers.length === 0) {
    throw new TargetRefusedError(host, null, 'unresolvable', `${host} has no address.`);
  }
  for (const answer of answers) {
    if (!isAllowedAddress(answer.address, policy)) throw refusal(host, answer.address, policy);
  }
  const first = answers[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/**
 * Checks a base URL a learner entered: http or https, no credentials, a host that resolves only to
 * allowed addresses. Returns the parsed URL and the vetted address.
 */
export async function vetUrl(raw: string, policy: GuardPolicy): Promise<{ url: URL; address: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefusedError(raw, null, 'scheme', `"${raw}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetRefusedError(url.host, null, 'scheme', 'Only http:// and https:// URLs can be checked.');
  }
  const { address } = await vetHost(url.hostname, policy);
  return { url, address };
}

interface ConnectOptions {
  host?: string | null;
  hostname?: string | null;
  socketPath?: string;
  lookup?: LookupFunction;
  [key: string]: unknown;
}

type CreateConnection = (
  options: ConnectOptions,
  callback: (error: Error | null, socket?: Duplex) => void,
) => Duplex | undefined;

/**
 * Wraps an agent's `createConnection`: IP literals are checked here (Node skips `lookup` for them) and
 * names get a `lookup` that answers with the pinned, vetted address only.
 */
function guardConnections(
  agent: http.Agent,
  policy: GuardPolicy,
  pinned: Map<string, Promise<{ address: string; family: 4 | 6 }>>,
): void {
  const original = (agent as unknown as { createConnection: CreateConnection }).createConnection.bind(agent);
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    let vetted = pinned.get(hostname);
    if (!vetted) {
      vetted = vetHost(hostname, policy);
      pinned.set(hostname, vetted);
    }
    vetted.then(
      ({ address, family }) => {
        if ((options as { all?: boolean }).all) {
          (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
            { address, family },
          ]);
        } else callback(null, address, family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 4),
    );
  };
  (agent as unknown as { createConnection: CreateConnection }).createConnection = (options, callback) => {
    const host = String(options.host ?? options.hostname ?? 'localhost').replace(/^\[|\]$/g, '');
    if (options.socketPath !== undefined) {
      process.nextTick(() =>
        callback(new TargetRefusedError(host, null, 'socket', 'Checks cannot use local sockets.')),
      );
      return undefined;
    }
    if (isIP(host) !== 0 && !isAllowedAddress(host, policy)) {
      const error = refusal(host, host, policy);
      process.nextTick(() => callback(error));
      return undefined;
    }
    return original({ ...options, lookup: guardedLookup }, callback);
  };
}

export interface GuardedAgents {
  http: http.Agent;
  https: https.Agent;
}

/**
 * One pair of agents per run. Every socket they open is vetted and pinned, so redirects to internal
 * addresses fail with {@link TargetRefusedError} before any byte is sent.
 *
 * @param pins addresses already vetted for a host (the base URL's, resolved when the run was accepted)
 */
export function guardedAgents(
  policy: GuardPolicy,
  pins: Record<string, { address: string; family: 4 | 6 }> = {},
  tls: { rejectUnauthorized?: boolean } = {},
): GuardedAgents {
  const pinned = new Map<string, Promise<{ address: string; family: 4 | 6 }>>();
  for (const [host, value] of Object.entries(pins)) pinned.set(host, Promise.resolve(value));
  // keepAlive off: a run is short, and a pooled socket must never outlive the run's policy.
  const httpAgent = new http.Agent({ keepAlive: false });
  const httpsAgent = new https.Agent({
    keepAlive: false,
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
  });
  guardConnections(httpAgent, policy, pinned);
  guardConnections(httpsAgent, policy, pinned);
  return { http: httpAgent, https: httpsAgent };
}

/** Whether the server listens only on loopback (then a learner on their laptop may check localhost). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || (isIP(bare) !== 0 && classifyAddress(bare) === 'loopback');
}
