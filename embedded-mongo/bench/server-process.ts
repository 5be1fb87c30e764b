/**
 * The benchmarked server, run as its own process so that its memory (VmRSS) and CPU are measured
 * apart from the benchmark client. Prints one JSON line {"uri","port","pid"} once listening and
 * stops cleanly on SIGTERM / SIGINT or when its parent closes stdin.
 *
 *   node --import tsx embedded-mongo/bench/server-process.ts [--port N] [--data-dir DIR]
 */
import { startEmbeddedMongo } from '../src/index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const server = await startEmbeddedMongo({
  port: Number(arg('--port') ?? 0),
  dataDir: arg('--data-dir'),
});
process.stdout.write(JSON.stringify({ uri: server.uri, port: server.port, pid: process.pid }) + '\n');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// If the benchmark dies without signalling us, our stdin closes: do not linger as an orphan.
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
