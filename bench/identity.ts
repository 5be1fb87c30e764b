/**
 * Identity benchmark:  node --import tsx bench/identity.ts   [--signins 50 --checks 20000]
 *
 * Prints password sign-in latency (argon2id verify + session issue, through the real service),
 * the cost of a warm session check per request (getSessionUser with the cookie), the ability build
 * per request (buildAbility from the org's roles), and both together; then a one-line summary.
 * Targets: sign-in < 300 ms, session check + ability < 1 ms p99 when cached.
 * Without MONGO_URI the embedded server runs in a child process.
 */
import { randomBytes } from 'node:crypto';
import { ms, pct, startMongoChild } from './lib/harness';

const arg = (name: string, def: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? def) || def;
const SIGNINS = arg('signins', 50);
const CHECKS = arg('checks', 20_000);
const run = randomBytes(3).toString('hex');

const line = (name: string, xs: number[]) =>
  console.log(`${name.padEnd(34)} p50 ${ms(pct(xs, 50)).padStart(11)}  p99 ${ms(pct(xs, 99)).padStart(11)}  (n=${xs.length})`);

async function main() {
  const mongo = process.env.MONGO_URI ? undefined : await startMongoChild();
  if (mongo) process.env.MONGO_URI = mongo.uri;
  process.env.PLATFORM_DB_NAME = `bench_platform_${run}`;
  process.env.REDIS_PREFIX = `bench-${run}`;
  process.env.BASE_DOMAIN ??= 'bench.test';
  const { connectMongo, disconnectMongo } = await import('@/server/db/mongo');
  const { closeRedis, redis } = await import('@/server/redis');
  const { closeConfigEvents, configEventsReady } = await import('@/server/tenancy/config-events');
  const { provisionOrganization } = await import('@/server/tenancy/provisioning');
  const { tenantModels } = await import('@/server/tenancy/connections');
  const { loadOrg } = await import('@/server/tenancy/resolve');
  const { hashPassword } = await import('@/server/crypto/passwords');
  const { passwordSignIn } = await import('@/server/services/identity/password-sign-in');
  const { getSessionUser } = await import('@/server/auth/session');
  const { buildAbility } = await import('@/server/authz');
  type Roles = Parameters<typeof buildAbility>[0];

  await connectMongo();
  await configEventsReady();
  const slug = `idb${run}`;
  const { firstAdmin } = await provisionOrganization({ slug, name: 'Identity bench', firstAdmin: { email: 'agent@bench.test' } });
  const password = 'Bench-password-2026';
  const t0 = performance.now();
  const passwordHash = await hashPassword(password);
  const hashMs = performance.now() - t0;
  await tenantModels(slug).User.updateOne({ email: firstAdmin.email }, { $set: { status: 'active', passwordHash } });

  await passwordSignIn(slug, { email: firstAdmin.email, password }, '10.255.0.1'); // first use opens pools and limiters
  const signIns: number[] = [];
  let cookie = '';
  for (let i = 0; i < SIGNINS; i++) {
    const start = performance.now();
    const session = await passwordSignIn(slug, { email: firstAdmin.email, password }, `10.0.${i}.1`);
    signIns.push(performance.now() - start);
    cookie = session.cookies.map((c) => c.split(';')[0]).join('; ');
  }

  const headers = new Headers({ host: `${slug}.${process.env.BASE_DOMAIN}`, cookie });
  const user = (await getSessionUser(headers, slug))!;
  const roles = (await loadOrg(slug))!.roles as Roles;
  const ctx = { role: user.role, userId: user.id, teamIds: user.teamIds, branchId: user.branchId ?? null };
  for (let i = 0; i < 2000; i++) await getSessionUser(headers, slug); // warm up JIT and caches

  const checks: number[] = [];
  const abilities: number[] = [];
  const both: number[] = [];
  for (let i = 0; i < CHECKS; i++) {
    const a = performance.now();
    const u = await getSessionUser(headers, slug);
    const b = performance.now();
    buildAbility(roles, ctx).can('read', 'Conversation');
    const c = performance.now();
    if (!u) throw new Error('session check failed');
    checks.push(b - a);
    abilities.push(c - b);
    both.push(c - a);
  }

  console.log(`argon2id hash (19 MiB, t=2, p=1)    ${ms(hashMs)}`);
  line('password sign-in (service)', signIns);
  line('session check, cached', checks);
  line('ability build', abilities);
  line('session check + ability', both);
  const ok = pct(signIns, 99) < 300 && pct(both, 99) < 1;
  console.log(
    `SUMMARY sign-in p99 ${ms(pct(signIns, 99))} (target < 300 ms); session check + ability p99 ${ms(pct(both, 99))} (target < 1 ms): ${ok ? 'OK' : 'MISSED'}`,
  );

  await redis().eval(`for _,k in ipairs(redis.call('keys', ARGV[1])) do redis.call('del', k) end`, 0, `bench-${run}:*`);
  await closeConfigEvents();
  await closeRedis();
  await disconnectMongo();
  mongo?.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
