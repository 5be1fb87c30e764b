#!/usr/bin/env -S npx tsx
/**
 * Runs the embedded server on its own:  embedded-mongo [--port 27017] [--dbpath ./data]
 * Prints the connection URI; stops cleanly (journal compacted) on SIGINT/SIGTERM.
 *
 * The server itself runs from a bundle under plain node (bin/bundle.ts: ~48 MB less resident
 * memory than under tsx) in a child process tied to this one: signals are forwarded, and the
 * child stops by itself if this process dies. EMBEDDED_MONGO_NO_BUNDLE=1 runs it in-process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS, bundleEntry, serverEnv } from './bundle.js';

const serve = fileURLToPath(new URL('./serve.ts', import.meta.url));
let bundled: string | undefined;
if (!process.env.EMBEDDED_MONGO_NO_BUNDLE) {
  bundled = await bundleEntry(serve).catch((e: Error) => {
    console.error(`[embedded-mongo] bundling failed (${e.message}); running under tsx`);
    return undefined;
  });
}
if (!bundled) {
  await import('./serve.js');
} else {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, bundled, ...process.argv.slice(2)], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env: serverEnv() });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
