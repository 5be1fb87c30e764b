import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';

/**
 * The WhatsApp side of the webhook benchmarks: a bench organisation with one WhatsApp inbox, Cloud
 * API webhook bodies, and posting them signed as Meta does (X-Hub-Signature-256 over the raw body).
 * The server modules are imported when called, after startBenchStack has set the environment.
 */

export const BENCH_PHONE_NUMBER_ID = '1099887766';

/** A bench organisation (active, free plan) with its tenant indexes; `provisionOrganization` does more than a webhook bench needs. */
export async function createBenchOrganization(slug: string): Promise<void> {
  const { ensurePlatformIndexes, platformModels } = await import('@/server/db/models/platform');
  const { ensureTenantIndexes } = await import('@/server/db/models/tenant');
  const { tenantModels } = await import('@/server/tenancy/connections');
  await ensurePlatformIndexes();
  await platformModels().Organization.create({
    slug,
    name: 'Bench',
    status: 'active',
    dbName: `org_${slug}_db`,
    branding: { appName: 'Bench' },
    plan: { tier: 'free', maxUsers: 5, maxStorageMB: 100 },
  });
  await ensureTenantIndexes(tenantModels(slug));
}

/** A Meta WhatsApp inbox with a fresh app secret, in an existing organisation. */
export async function createWhatsAppInbox(slug: string) {
  const { createInbox } = await import('@/server/services/inbox/inboxes');
  const secret = randomBytes(16).toString('hex');
  const phoneNumberId = BENCH_PHONE_NUMBER_ID;
  const inbox = await createInbox(slug, {
    name: 'Bench WhatsApp',
    provider: 'meta',
    channel: 'whatsapp',
    meta: { appSecret: secret, verifyToken: 'bench-verify', accessToken: 'bench-access-token', phoneNumberId },
  });
  return { inbox, secret, phoneNumberId };
}

/** A WhatsApp Cloud API webhook with one text message. */
export function whatsappTextBody(phoneNumberId: string, from: string, id: string, text: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: `Customer ${from}` }, wa_id: from }],
              messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
            },
          },
        ],
      },
    ],
  });
}

export function metaSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** POSTs a webhook signed with `secret` over `agent` (keep-alive); resolves the status (0: no answer). */
export function signedPost(agent: http.Agent, url: string, secret: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': metaSignature(secret, body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}
