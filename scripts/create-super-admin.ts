/**
 * Creates a platform operator (super admin), or resets one who lost both authenticator and
 * recovery codes. The first sign-in at PLATFORM_HOST then walks through TOTP enrolment.
 *
 *   SUPER_ADMIN_PASSWORD='…' npx tsx scripts/create-super-admin.ts --email ops@example.com [--name "Ops"] [--reset-mfa]
 *   echo '…' | npx tsx scripts/create-super-admin.ts --email ops@example.com
 *
 * The password comes from the environment or standard input, never from the command line (it would
 * show in `ps` and shell history). Needs MONGO_URI and Redis.
 */
import { parseArgs } from 'node:util';
import { upsertSuperAdmin } from '@/server/services/platform-auth';
import { runCli } from './lib/run-cli';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split('\n')[0]!.trim();
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, 'reset-mfa': { type: 'boolean', default: false } },
  });
  const password = process.env.SUPER_ADMIN_PASSWORD ?? (await readStdin());
  if (!values.email || !password) {
    console.error(
      'usage: SUPER_ADMIN_PASSWORD=… npx tsx scripts/create-super-admin.ts --email <email> [--name <name>] [--reset-mfa]',
    );
    return 2;
  }
  const { id, created } = await upsertSuperAdmin({
    email: values.email,
    password,
    displayName: values.name,
    resetMfa: values['reset-mfa'],
  });
  console.log(
    `${created ? 'created' : 'reset'} super admin ${values.email} (${id}); the first sign-in sets up two-factor authentication.`,
  );
  return 0;
}

runCli(main);
