/**
 * Bundles a server entry point into one plain-JS file (embedded-mongo/.build/, gitignored) with the
 * esbuild that tsx already ships, so the server can run under plain `node`: the tsx loader and
 * its compiled-module caches cost ~48 MB of resident memory (104 MB idle under tsx vs 56 MB).
 */
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Node flags for the server process. A young generation of 2 x 2 MB instead of V8's default
 * 2 x 16 MB: the server's garbage is short-lived (requests, replies), so scavenges stay cheap,
 * and every semi-space MB is resident. Measured with bench/run.ts at 100k documents: 16 -> 8 MB
 * semi-spaces 200 -> 180 MB; 8 -> 2 MB a further ~161-169 -> ~155-157 MB (load ~11), server CPU
 * per inserted document unchanged within the noise (12.2-13.8 vs 12.8-13.3 us).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2'];

/**
 * Environment for the server process: one glibc malloc arena. The record slabs and socket
 * buffers are malloc'ed from V8's and libuv's threads too, and each extra arena keeps its own
 * free pages resident. The server's JS runs on one thread, so arenas buy no concurrency.
 * Measured with bench/run.ts at 100k documents: ~155.7 -> ~149.5 MB, insert CPU/doc unchanged.
 *
 * A fixed mmap threshold of 1 MB: full-size record slabs (1 MB) get their own mapping, returned
 * to the system when the slab is freed (a dropped collection, a compacted slab). With glibc's
 * default sliding threshold the first freed slab raises it, later slabs come from the heap, and
 * their pages stay resident after the collection is gone: bench/run.ts (which drops a 50k
 * document collection before loading) measured 145.5-151.7 MB after loading 100k documents
 * without it, 128.6-130.1 MB with it (3 runs each, alternating).
 */
export const SERVER_ENV: Record<string, string> = { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '1048576' };

/** process.env plus SERVER_ENV (a value already set by the user wins). */
export function serverEnv(): NodeJS.ProcessEnv {
  return { ...SERVER_ENV, ...process.env };
}

/** Returns the path of the bundled entry (rebuilt on every call: esbuild takes ~0.1-0.3 s). */
export async function bundleEntry(entry: string): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(ROOT, '.build', basename(entry).replace(/\.[cm]?ts$/, '.mjs'));
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // A linked map, not inline: an inline map is kept in the heap with the source (~10 MB).
    // Stack traces name bundle lines unless node runs with --enable-source-maps.
    sourcemap: 'linked',
    logLevel: 'warning',
    // A bundled CommonJS dependency may call require(): give the ESM bundle one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return outfile;
}
