#!/usr/bin/env -S npx tsx
/**
 * Runs the embedded server on its own:  embedded-mongo [--port 27017] [--dbpath ./data]
 * Prints the connection URI; stops cleanly (journal compacted) on SIGINT/SIGTERM.
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
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    server.stop().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
  });
}
