import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformModels } from '@/server/db/models/platform';
import { signInWithPassword } from '@/server/services/platform-auth';
import { startTenancy, stopTenancy } from './tenancy-helpers';
import { childEnv } from '../helpers/processes';

/** scripts/create-super-admin.ts as an operator runs it: a real child process, password on stdin. */
function run(args: string[], stdin: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('node_modules/.bin/tsx', ['scripts/create-super-admin.ts', ...args], { env: childEnv() });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
    child.stdin.end(stdin);
  });
}

beforeAll(startTenancy);
afterAll(stopTenancy);

describe('create-super-admin CLI', () => {
  it('creates an operator who must enrol TOTP, refuses a duplicate, and resets MFA on request', async () => {
    const email = `cli-${randomBytes(4).toString('hex')}@platform.test`;
    const created = await run(['--email', email, '--name', 'CLI Operator'], 'a-long-cli-password-42\n');
    expect(created.code, created.out).toBe(0);
    expect(created.out).toContain(`created super admin ${email}`);
    const step = await signInWithPassword({ email, password: 'a-long-cli-password-42' }, {});
    expect(step.stage).toBe('enrol');

    const dup = await run(['--email', email], 'another-password-123\n');
    expect(dup.code).toBe(1);
    expect(dup.out).toMatch(/already exists/);

    await platformModels().SuperAdmin.updateOne(
      { email },
      { $set: { mfaEnabled: true, mfaSecret: 'enc:v1:x', recoveryCodes: ['h'] } },
    );
    const reset = await run(['--email', email, '--reset-mfa'], 'a-new-cli-password-43\n');
    expect(reset.code, reset.out).toBe(0);
    const doc = await platformModels().SuperAdmin.findOne({ email }).lean();
    expect(doc).toMatchObject({ mfaEnabled: false });
    expect(doc?.mfaSecret).toBeUndefined();
  });
});
