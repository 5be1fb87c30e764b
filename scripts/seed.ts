/** `npm run seed`: seed the demo into MONGO_URI (idempotent) and print the credentials. */
import { existsSync } from 'node:fs';
import { seedAndDescribe } from './lib/seed';

if (existsSync('.env')) process.loadEnvFile('.env');

seedAndDescribe()
  .then((text) => {
    console.log(text);
    process.exit(0);
  })
  .catch((err: unknown) => {
    console.error(`[seed] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
