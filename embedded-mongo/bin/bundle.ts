/**
 * Bundles a server entry point into one plain-JS file (embedded-mongo/.build/, gitignored) with the
 * esbuild that tsx already ships, so the server can run under plain `node`: the tsx loader and
 * its compiled-module caches cost ~48 MB of resident memory (104 MB idle under tsx vs 56 MB).
 */
import { dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Node flags for the server process. A young generation of 2 x 8 MB instead of V8's default
 * 2 x 16 MB: the server's garbage is short-lived (requests, replies), so scavenges stay cheap,
 * and the process keeps ~20 MB less resident (measured with bench/probe.ts: 100k documents
 * 200 -> 180 MB, server CPU per inserted document unchanged).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8'];

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
