import type { Redis, RedisOptions } from 'ioredis';

/**
 * How long any Redis command may wait for its answer. Past it the command fails, and a request
 * waiting on it answers `503 unavailable` instead of waiting for ever: Redis that stops answering
 * on an open connection (a frozen host, a dropped route, a full network buffer) is never noticed
 * by the socket itself, and ioredis waits without limit unless told otherwise.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 3000;

/**
 * The options of every Redis client Waymark opens: commands time out (above), a command issued
 * while the connection is down is retried on one reconnection and then fails (rather than queueing
 * until Redis returns), and a connection attempt gives up after a few seconds. ioredis keeps
 * reconnecting in the background either way.
 */
export const REDIS_OPTIONS: RedisOptions = {
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  maxRetriesPerRequest: 1,
  connectTimeout: 5000,
};

/**
 * Opens the shared Redis client (connecting at once; errors are the caller's to listen to). ioredis
 * is loaded here, on first use, so a start without Redis never loads it.
 */
export async function openRedis(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  return new Redis(url, { ...REDIS_OPTIONS, lazyConnect: false });
}

/**
 * What ioredis says when Redis did not answer (as opposed to answering with an error): a timed-out
 * command, a command given up after the reconnection attempts, a closed connection.
 */
export const REDIS_UNREACHABLE_MESSAGE =
  /^(Command timed out|Reached the max retries per request limit|Connection is closed|Stream isn't writeable)/;

/** A command that went unanswered for {@link REDIS_COMMAND_TIMEOUT_MS}. */
export const REDIS_TIMEOUT_MESSAGE = /^Command timed out/;
