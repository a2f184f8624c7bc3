// The fan-out floor of this machine: a bare node:http server holding event streams that, on
// `POST /fire`, answers and then writes one ready-made frame to every stream (nothing else).
// The fan-out section measures it with the same client as Waymark, so the two can be compared.
import { createServer, type ServerResponse } from 'node:http';

const streams = new Set<ServerResponse>();
let sequence = 0;

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/fire') {
    req.resume();
    res.writeHead(204).end();
    const frame = Buffer.from(`event: changed\ndata: {"seq":${++sequence}}\n\n`);
    setImmediate(() => {
      for (const stream of streams) stream.write(frame);
    });
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  res.write('retry: 5000\n\n');
  streams.add(res);
  req.once('close', () => streams.delete(res));
});
server.headersTimeout = 120_000;
server.requestTimeout = 0;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.send?.({ port: address.port });
});
