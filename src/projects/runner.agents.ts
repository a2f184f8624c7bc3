import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';

// newman has no response-size limit of its own, so the cap is enforced where the bytes arrive: on
// every socket the run's agents open. A response past the cap destroys its socket, which newman
// reports as that request's error. Agents never keep sockets alive, so one socket is one request.

/** Room for the status line and headers on top of the body cap. */
const HEADER_ALLOWANCE = 16 * 1024;

export interface RunAgents {
  http: http.Agent;
  https: https.Agent;
}

type Create = (
  options: http.ClientRequestArgs,
  callback?: (err: Error | null, stream: Duplex) => void,
) => Duplex | null | undefined;

const counted = new WeakSet<Duplex>();
const ORIGINAL = Symbol('createConnection before the response cap');

function countBytes(socket: Duplex, limit: number): void {
  if (counted.has(socket)) return;
  counted.add(socket);
  let received = 0;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) {
      socket.destroy(new Error(`response larger than the ${limit - HEADER_ALLOWANCE}-byte limit`));
    }
  });
}

/**
 * Makes `agent` cut off responses past `maxResponseBytes`. The agent given is changed in place, which
 * keeps whatever else it does, such as the network guard's address pinning, intact; give each run its
 * own agent (two runs sharing one would share the later run's cap).
 */
export function capResponses<A extends http.Agent>(agent: A, maxResponseBytes: number): A {
  const limit = maxResponseBytes + HEADER_ALLOWANCE;
  // An agent reused for another run is re-capped from its own connector, never wrapped twice.
  const holder = agent as A & { [ORIGINAL]?: Create };
  holder[ORIGINAL] ??= agent.createConnection as Create;
  const create = holder[ORIGINAL].bind(agent);
  const capped: Create = (options, callback) => {
    const socket = create(
      options,
      callback &&
        ((err, stream) => {
          if (!err && stream) countBytes(stream, limit);
          callback(err, stream);
        }),
    );
    if (socket) countBytes(socket, limit);
    return socket;
  };
  agent.createConnection = capped;
  return agent;
}

/** The run's agents: the caller's (e.g. the network guard's) or fresh ones, both capped. */
export function runAgents(
  given: { http?: http.Agent; https?: https.Agent } | undefined,
  maxResponseBytes: number,
): RunAgents {
  return {
    http: capResponses(given?.http ?? new http.Agent({ keepAlive: false }), maxResponseBytes),
    https: capResponses(given?.https ?? new https.Agent({ keepAlive: false }), maxResponseBytes),
  };
}
