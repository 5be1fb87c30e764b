/**
 * Re-encrypts every stored secret under ENCRYPTION_ACTIVE_KEY_ID.
 *
 *   1. add the new key to ENCRYPTION_KEYS (`old:<b64>,new:<b64>`), set ENCRYPTION_ACTIVE_KEY_ID=new
 *   2. deploy, then run: npx tsx scripts/rotate-master-key.ts   (--dry-run only reports)
 *   3. when it reports 0 secrets under the old key, remove the old key from ENCRYPTION_KEYS
 *
 * Needs MONGO_URI (and Redis, to tell running processes to drop their caches).
 */
import { rotateAllSecrets, secretKeyUsage } from '@/server/crypto/rotate';
import { connectMongo } from '@/server/db/mongo';
import { getEnv } from '@/server/env';
import { runCli } from './lib/run-cli';

async function main(): Promise<number> {
  const env = getEnv();
  await connectMongo();
  console.log(`active key: ${env.ENCRYPTION_ACTIVE_KEY_ID}; configured keys: ${[...env.ENCRYPTION_KEYS.keys()].join(', ')}`);
  console.log('ciphertexts per key before:', await secretKeyUsage());
  if (process.argv.includes('--dry-run')) return 0;
  const report = await rotateAllSecrets({ log: (line) => console.log(line) });
  console.log(JSON.stringify(report, null, 2));
  console.log('ciphertexts per key after:', await secretKeyUsage());
  return report.failed.length ? 1 : 0;
}

runCli(main);
