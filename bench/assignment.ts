/**
 * Assignment benchmark:  node --import tsx bench/assignment.ts   [--orgs 4 --agents 20 --conversations 2000 --concurrency 16]
 *
 * Conversations arrive at once (`concurrency` in flight) across several organisations, each with
 * online agents with skills and capacity; every arrival asks the engine for an agent (routing
 * already applied: required skills set). Prints assignment decisions per second and the decision
 * latency p50/p99 (arrival to assigned-or-queued), then the drain rate when a queue of waiting
 * conversations meets agents coming online. Embedded MongoDB in a child process, the real Redis.
 */
import { randomBytes } from 'node:crypto';
import { ms, pct, startMongoChild } from './lib/harness';

const arg = (name: string, def: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? def) || def;
const ORGS = arg('orgs', 4);
const AGENTS = arg('agents', 20);
const CONVS = arg('conversations', 2000);
const CONCURRENCY = arg('concurrency', 16);
const run = randomBytes(3).toString('hex');
const SKILLS = ['en', 'es', 'billing', 'tech'];
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;

async function main() {
  const mongo = process.env.MONGO_URI ? undefined : await startMongoChild();
  if (mongo) process.env.MONGO_URI = mongo.uri;
  process.env.PLATFORM_DB_NAME = `bench_platform_${run}`;
  process.env.REDIS_PREFIX = `bench-${run}`;
  const { connectMongo, disconnectMongo } = await import('@/server/db/mongo');
  const { closeRedis } = await import('@/server/redis');
  const { closeEmitter } = await import('@/server/realtime/emit');
  const { closeQueues } = await import('@/server/queues');
  const { platformModels } = await import('@/server/db/models/platform');
  const { ensureTenantIndexes } = await import('@/server/db/models/tenant');
  const { tenantModels } = await import('@/server/tenancy/connections');
  const { heartbeat } = await import('@/server/services/presence/presence');
  const { requestAssignment, drainQueue } = await import('@/server/services/assignment/engine');
  await connectMongo();

  const orgs: Array<{ slug: string; agents: string[] }> = [];
  for (let o = 0; o < ORGS; o++) {
    const slug = `bench${run}${o}`;
    await platformModels().Organization.create({ slug, name: slug, status: 'active', dbName: `org_${slug}_db`, branding: { appName: slug }, plan: { tier: 'free', maxUsers: 1000, maxStorageMB: 100 }, roles: [{ name: 'Agent', level: 20, permissions: [] }] });
    const m = tenantModels(slug);
    await ensureTenantIndexes(m);
    const users = await m.User.insertMany(
      Array.from({ length: AGENTS }, (_, i) => ({ displayName: `Agent ${i}`, email: `a${i}@${slug}.test`, role: 'Agent', status: 'active', skills: SKILLS.filter(() => Math.random() < 0.6), maxConcurrent: 1 + Math.ceil((CONVS / ORGS / AGENTS) * 1.5 * Math.random()) })),
    );
    orgs.push({ slug, agents: users.map((u) => String(u._id)) });
  }
  const makeConvs = async (n: number) => {
    const out: Array<{ slug: string; id: string }> = [];
    for (const { slug } of orgs) {
      const m = tenantModels(slug);
      const customers = await m.Customer.insertMany(Array.from({ length: n / ORGS }, () => ({ name: 'c', identityKeys: [`b|${randomBytes(6).toString('hex')}`] })));
      const convs = await m.Conversation.insertMany(customers.map((c) => ({ customerId: c._id, channel: 'whatsapp', status: 'open', priority: pick(['low', 'normal', 'high', 'urgent']), requiredSkills: Math.random() < 0.5 ? [pick(SKILLS)] : [] })));
      out.push(...convs.map((c) => ({ slug, id: String(c._id) })));
    }
    return out.sort(() => Math.random() - 0.5);
  };

  // Phase 1: arrivals with agents online.
  for (const o of orgs) for (const a of o.agents) await heartbeat(o.slug, a, 'online');
  const arrivals = await makeConvs(CONVS);
  const started = new Map<string, number>();
  const callLat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < arrivals.length) {
        const c = arrivals[next++]!;
        const s = Date.now();
        started.set(c.id, s);
        await requestAssignment(c.slug, c.id);
        callLat.push(Date.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  let assigned = 0;
  for (const { slug } of orgs) assigned += await tenantModels(slug).Conversation.countDocuments({ assigneeId: { $ne: null } });
  // Decision latency: arrival -> its Assignment record (a caller that found a drain running returns
  // at once and the running drain serves it, so the call time alone would flatter the numbers).
  const lat: number[] = [];
  for (const { slug } of orgs) {
    for (const a of await tenantModels(slug).Assignment.find({}, { conversationId: 1, createdAt: 1 }).lean()) {
      lat.push(a.createdAt.getTime() - started.get(String(a.conversationId))!);
    }
  }
  lat.sort((a, b) => a - b);
  callLat.sort((a, b) => a - b);

  // Phase 2: everyone goes offline (no reassignment handler here), a backlog queues, agents return.
  for (const o of orgs) for (const a of o.agents) await heartbeat(o.slug, a, 'offline');
  for (const { slug } of orgs) await tenantModels(slug).Conversation.updateMany({}, { $set: { status: 'resolved' }, $unset: { assigneeId: '' } });
  const { reconcileLoads } = await import('@/server/services/assignment/load');
  for (const { slug } of orgs) await reconcileLoads(slug);
  const backlog = await makeConvs(Math.min(CONVS, 1000));
  for (const c of backlog) await requestAssignment(c.slug, c.id);
  for (const o of orgs) for (const a of o.agents) await heartbeat(o.slug, a, 'online');
  const d0 = performance.now();
  const drained = (await Promise.all(orgs.map((o) => drainQueue(o.slug)))).reduce((a, b) => a + b, 0);
  const dsecs = (performance.now() - d0) / 1000;

  console.log(`arrivals: ${arrivals.length} across ${ORGS} orgs x ${AGENTS} agents, ${CONCURRENCY} in flight; ${assigned} assigned, ${arrivals.length - assigned} queued`);
  console.log(`decisions/s: ${(arrivals.length / secs).toFixed(0)}   arrival->assigned p50 ${ms(pct(lat, 50))}  p99 ${ms(pct(lat, 99))}   call p50 ${ms(pct(callLat, 50))} p99 ${ms(pct(callLat, 99))}`);
  console.log(`queue drain: ${drained} of ${backlog.length} waiting assigned in ${dsecs.toFixed(2)} s = ${(drained / dsecs).toFixed(0)}/s`);
  console.log(`SUMMARY assignment: ${(arrivals.length / secs).toFixed(0)} decisions/s, p50 ${ms(pct(lat, 50))}, p99 ${ms(pct(lat, 99))}; drain ${(drained / dsecs).toFixed(0)}/s`);

  for (const { slug } of orgs) await tenantModels(slug).User.db.dropDatabase();
  await platformModels().Organization.db.dropDatabase();
  await Promise.allSettled([closeEmitter(), closeQueues(), closeRedis(), disconnectMongo()]);
  mongo?.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
