// The HTTP ceiling: the engine answering a constant 200 JSON with no work, so
// the benchmark can tell what the relay costs on top of the engine itself.
// Usage: node bench/http-ceiling.mjs <hyper-express|node>; prints one JSON
// line {"event":"listening","port":N} like the relay, then serves until SIGTERM.
import http from 'node:http';

const engine = process.argv[2] ?? 'node';
const body = '{"status":"ok"}';

function announce(port) {
  process.stdout.write(`${JSON.stringify({ event: 'listening', engine, port })}\n`);
}

if (engine === 'hyper-express') {
  const { Server } = await import('hyper-express');
  const server = new Server();
  const handler = async (req, res) => {
    // Read the request body like a real handler would, then answer.
    if (req.method === 'POST') await req.buffer();
    res.header('content-type', 'application/json').header('cache-control', 'no-store').send(body);
  };
  server.get('/*', handler);
  server.post('/*', handler);
  await server.listen(0, '127.0.0.1');
  announce(server.port);
  process.on('SIGTERM', () => {
    server.close();
    process.exit(0);
  });
} else if (engine === 'node') {
  const server = http.createServer((req, res) => {
    // Drain the request body like a real handler would, then answer.
    req.on('data', () => {});
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': body.length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => announce(server.address().port));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  console.error(`unknown engine ${engine}`);
  process.exit(2);
}
