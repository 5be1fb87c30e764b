/**
 * How fast an admin's secret rotation is in force in another process:
 *   NEXT_DIST_DIR=.next-<you> npx next build     (once; a production build of your own)
 *   NEXT_DIST_DIR=.next-<you> npx tsx bench/inbox-rotation.ts   [--rounds 30]
 *
 * The web process (`next start`) answers signed WhatsApp webhooks for one inbox and keeps it in its
 * lookup cache (60 s). This process, like the admin console's tRPC call, replaces the app secret
 * (rotateInboxSecret: store, then `org:config:updated` over Redis) and then posts a webhook signed
 * with the new secret until the web process accepts it. Printed: the time from the rotation's return
 * to the first 200 (p50/p95/max), how many webhooks in that window were still refused (401), and
 * whether the old secret is refused afterwards. Embedded MongoDB unless MONGO_URI is set.
 */
import { randomBytes } from 'node:crypto';
import { loadLine, startBenchStack } from './lib/stack';
import { createBenchOrganization, createWhatsAppInbox, metaSignature, whatsappTextBody } from './lib/whatsapp';

const arg = (name: string, def: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? def) || def;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

async function main() {
  const run = randomBytes(3).toString('hex');
  const rounds = arg('rounds', 30);
  const stack = await startBenchStack({ run, quiet: !process.env.BENCH_VERBOSE });
  const { connectMongo, disconnectMongo } = await import('@/server/db/mongo');
  const { closeQueues } = await import('@/server/queues');
  const { closeRedis } = await import('@/server/redis');
  const { closeConfigEvents, configEventsReady } = await import('@/server/tenancy/config-events');
  const { platformModels } = await import('@/server/db/models/platform');
  const { tenantModels } = await import('@/server/tenancy/connections');
  const { rotateInboxSecret } = await import('@/server/services/inbox/inboxes');

  await connectMongo();
  await configEventsReady();
  const slug = `benchrot${run}`;
  await createBenchOrganization(slug);
  const created = await createWhatsAppInbox(slug);
  const { inbox, phoneNumberId } = created;
  let secret = created.secret;
  await stack.start('web');
  const url = `http://127.0.0.1:${stack.webPort}/api/webhooks/meta/${inbox.publicId}`;
  let n = 0;
  const post = async (appSecret: string) => {
    const body = whatsappTextBody(phoneNumberId, '15550001111', `wamid.rot${run}${++n}`, 'hi');
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(appSecret, body) } });
    await res.arrayBuffer();
    return res.status;
  };
  for (let i = 0; i < 5; i++) if ((await post(secret)) !== 200) throw new Error('warm-up webhook refused');

  const actor = { id: 'bench', email: 'bench@bench.test' };
  const inForce: number[] = [];
  const rotateMs: number[] = [];
  let staleRefusals = 0;
  let oldAccepted = 0;
  for (let r = 0; r < rounds; r++) {
    if ((await post(secret)) !== 200) throw new Error('the current secret was refused before rotating'); // cached in web
    const next = randomBytes(16).toString('hex');
    const t0 = performance.now();
    await rotateInboxSecret(slug, { id: inbox.id, secret: 'appSecret', value: next }, actor);
    const t1 = performance.now();
    rotateMs.push(t1 - t0);
    for (;;) {
      const status = await post(next);
      if (status === 200) break;
      if (status !== 401) throw new Error(`unexpected ${status}`);
      staleRefusals++;
      if (performance.now() - t1 > 30_000) throw new Error('the new secret was not in force after 30 s');
    }
    inForce.push(performance.now() - t1);
    if ((await post(secret)) === 200) oldAccepted++;
    secret = next;
  }
  const load = await loadLine();
  const f = (x: number) => x.toFixed(1);
  console.log(`rotation call (store + audit + publish): p50 ${f(pct(rotateMs, 50))} ms, p95 ${f(pct(rotateMs, 95))} ms`);
  console.log(`new secret in force in the web process after the call returned: p50 ${f(pct(inForce, 50))} ms, p95 ${f(pct(inForce, 95))} ms, max ${f(Math.max(...inForce))} ms (includes one webhook round trip)`);
  console.log(`webhooks with the new secret still refused meanwhile: ${staleRefusals} in ${rounds} rotations; old secret accepted afterwards: ${oldAccepted}`);
  console.log(`SUMMARY inbox-rotation: ${rounds} rotations, in force p50 ${f(pct(inForce, 50))} ms p95 ${f(pct(inForce, 95))} ms max ${f(Math.max(...inForce))} ms, stale refusals ${staleRefusals}, old secret accepted after ${oldAccepted}; ${load}`);

  await tenantModels(slug).Inbox.db.dropDatabase();
  await platformModels().Organization.db.dropDatabase();
  await stack.stop();
  await Promise.allSettled([closeQueues(), closeConfigEvents(), closeRedis(), disconnectMongo()]);
  process.exit(oldAccepted === 0 ? 0 : 1);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
