import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensurePlatformIndexes } from '@/server/db/models/platform';
import { tenantModels } from '@/server/tenancy/connections';
import { authzOrg, outcome } from './authz-fixture';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/** Inboxes through tRPC: admins create them, secrets are stored encrypted and never come back. */
beforeAll(async () => {
  await startTenancy();
  await ensurePlatformIndexes();
});
afterAll(stopTenancy);

it('lets an admin create a WhatsApp inbox whose secrets are encrypted and write-only; agents may not', async () => {
  const org = await authzOrg('ib');
  const input = {
    name: 'WhatsApp EU',
    provider: 'meta' as const,
    channel: 'whatsapp' as const,
    meta: {
      appSecret: 'app-secret-abcdef12',
      verifyToken: 'verify-token-123',
      accessToken: 'EAAG-token-abcdef',
      phoneNumberId: '1055551234',
    },
  };
  expect(await outcome(org.caller('Agent').inboxes.create(input))).toBe('FORBIDDEN');
  const created = await org.caller('Admin').inboxes.create(input);
  expect(created).toMatchObject({
    name: 'WhatsApp EU',
    channel: 'whatsapp',
    webhookPath: `/api/webhooks/meta/${created.publicId}`,
    secretsSet: { appSecret: true, accessToken: true, authToken: false },
  });
  expect(JSON.stringify(await org.caller('Admin').inboxes.list())).not.toContain('app-secret-abcdef12');
  const stored = await tenantModels(org.slug).Inbox.findById(created.id).lean();
  expect(stored?.meta?.appSecret).toMatch(/^enc:v1:/);
  expect(await outcome(org.caller('Admin').inboxes.create({ ...input, channel: 'sms' as const }))).toBe('BAD_REQUEST');
});
