/**
 * Child process of sigkill.test.ts: one embedded server on a data directory, until killed.
 *   node --import tsx server-child.ts <dataDir>
 * Prints "READY <uri>" on stdout once it accepts connections; server log lines go to stderr.
 * SIGTERM stops it cleanly (stop() journals, compacts and releases the lock), then exits 0.
 */
import { startEmbeddedMongo } from '../../src/index.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: server-child.ts <dataDir>');
const server = await startEmbeddedMongo({ dataDir, log: (line: string) => process.stderr.write(`${line}\n`) });
process.stdout.write(`READY ${server.uri}\n`);
process.on('SIGTERM', () => {
  server.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`stop failed: ${(err as Error).stack}\n`);
      process.exit(1);
    },
  );
});
