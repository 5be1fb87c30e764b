/**
 * The server process of the command line (bin/embedded-mongo.ts runs it, bundled, under node).
 * Prints the connection URI; stops cleanly (journal compacted) on SIGINT/SIGTERM, or when the
 * launching process goes away (its IPC channel closes).
 */
import { startEmbeddedMongo } from '../src/index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

const port = Number(arg('port') ?? 27017);
const dataDir = arg('dbpath') ?? arg('dataDir');
const server = await startEmbeddedMongo({ port, dataDir, log: (l) => console.error(`[embedded-mongo] ${l}`) });
console.log(server.uri);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.stop().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, stop);
// Launched with an IPC channel: the launcher died (even by SIGKILL), so do not linger.
if (process.send) {
  process.on('disconnect', stop);
  process.channel?.unref();
}
