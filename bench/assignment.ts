/**
 * Assignment benchmark:  node --import tsx bench/assignment.ts
 *   [--workers 3 --orgs 4 --agents 20 --conversations 3000 --concurrency 16 --rate 300 --seconds 30]
 *
 * The engine runs in `workers` separate processes (as worker/ instances do), the embedded MongoDB
 * in its own child, against the real Redis. Conversations already routed (required skills, team,
 * priority) are handed to the worker processes, each asking the engine for an agent.
 *  1. Saturation: all conversations at once (`concurrency` in flight per worker) -> decisions/s.
 *  2. Steady rate (with --rate): arrivals at `rate`/s for `seconds` -> decision latency from the
 *     arrival to the assignment record, p50/p95/p99, and whether the engine kept up.
 *  3. Queue drain: a backlog meets agents coming online -> conversations assigned per second.
 * After each phase the database and the counters are checked: no conversation assigned twice (one
 * active record, one log entry), nobody over capacity, skills and teams covered, counters equal to
 * the conversations. Memory (RSS) and CPU per decision of every process are printed with a SUMMARY.
 * The machine is shared: read the numbers with the load average printed next to them. --profile
 * writes CPU profiles of the worker processes and the embedded MongoDB into $TMPDIR/assignment-bench-profiles.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { ms, pct } from './lib/harness';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? def : Number(process.argv[i + 1]) || def;
};
const WORKERS = arg('workers', 3);
const ORGS = arg('orgs', 4);
const AGENTS = arg('agents', 20);
const CONVS = arg('conversations', 3000);
const CONCURRENCY = arg('concurrency', 16);
const RATE = arg('rate', 0);
const SECONDS = arg('seconds', 30);
const SKILLS = ['en', 'es', 'billing', 'tech'];
const PROFILES = `${tmpdir()}/assignment-bench-profiles`;
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

type Arrival = { slug: string; id: string };
type ChildMsg = { ready?: true; done?: string; error?: string; cpuMs?: number; rssMB?: number };

if (process.argv.includes('--child')) void child();
else
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });

/** A worker process: JSON lines in ({ slug, id } arrivals, or { stats: true }), JSON lines out. */
async function child() {
  const { connectMongo } = await import('@/server/db/mongo');
  const { requestAssignment } = await import('@/server/services/assignment/engine');
  await connectMongo();
  // Answers leave in one write per tick, not one per arrival (the pipe is not what is measured).
  let lines: string[] = [];
  const out = (m: ChildMsg) => {
    if (!lines.length) setImmediate(() => (process.stdout.write(lines.join('')), (lines = [])));
    lines.push(`${JSON.stringify(m)}\n`);
  };
  const limit = Number(process.env.BENCH_CONCURRENCY);
  const waiting: Arrival[] = [];
  let running = 0;
  const run = () => {
    while (running < limit && waiting.length) {
      const a = waiting.shift()!;
      running++;
      requestAssignment(a.slug, a.id)
        .then(
          () => out({ done: a.id }),
          (err: unknown) => out({ done: a.id, error: String(err) }),
        )
        .finally(() => {
          running--;
          run();
        });
    }
  };
  const cpu0 = process.cpuUsage();
  out({ ready: true });
  for await (const line of createInterface({ input: process.stdin })) {
    const msg = JSON.parse(line) as Arrival & { stats?: true };
    if (msg.stats) {
      const c = process.cpuUsage(cpu0);
      out({ cpuMs: (c.user + c.system) / 1000, rssMB: process.memoryUsage().rss / 1e6 });
    } else {
      waiting.push(msg);
      run();
    }
  }
  process.exit(0);
}

interface Worker {
  proc: ChildProcessWithoutNullStreams;
  send: (m: unknown) => void;
}

async function main() {
  const run = randomBytes(3).toString('hex');
  const mongo = process.env.MONGO_URI ? undefined : await startMongo();
  if (mongo) process.env.MONGO_URI = mongo.uri;
  process.env.PLATFORM_DB_NAME = `bench_platform_${run}`;
  process.env.REDIS_PREFIX = `bench-assign-${run}`;
  const { connectMongo, disconnectMongo } = await import('@/server/db/mongo');
  const { closeRedis, redis } = await import('@/server/redis');
  const { closeEmitter } = await import('@/server/realtime/emit');
  const { closeQueues } = await import('@/server/queues');
  const { closeConfigEvents } = await import('@/server/tenancy/config-events');
  const { platformModels } = await import('@/server/db/models/platform');
  const { ensureTenantIndexes } = await import('@/server/db/models/tenant');
  const { tenantModels } = await import('@/server/tenancy/connections');
  const { heartbeat } = await import('@/server/services/presence/presence');
  const { requestAssignment, drainQueue } = await import('@/server/services/assignment/engine');
  const { loadsOf, reconcileLoads } = await import('@/server/services/assignment/load');
  await connectMongo();
  console.log(`assignment bench: ${WORKERS} worker processes, ${ORGS} orgs x ${AGENTS} agents; load ${load()}`);

  // Organisations, agents (skills, one of two teams or none), all online.
  const orgs: Array<{ slug: string; agents: string[]; teams: string[] }> = [];
  for (let o = 0; o < ORGS; o++) {
    const slug = `bench${run}${o}`;
    await platformModels().Organization.create({ slug, name: slug, status: 'active', dbName: `org_${slug}_db`, branding: { appName: slug }, plan: { tier: 'free', maxUsers: 1000, maxStorageMB: 100 }, roles: [{ name: 'Agent', level: 20, permissions: [] }] });
    const m = tenantModels(slug);
    await ensureTenantIndexes(m);
    const teams = (await m.Team.insertMany([{ name: 'Sales' }, { name: 'Support' }])).map((t) => t._id);
    const users = await m.User.insertMany(
      Array.from({ length: AGENTS }, (_, i) => ({ displayName: `Agent ${i}`, email: `a${i}@${slug}.test`, role: 'Agent', status: 'active', skills: SKILLS.filter(() => Math.random() < 0.6), teamIds: i % 3 === 2 ? [] : [teams[i % 2]], maxConcurrent: 1 })),
    );
    orgs.push({ slug, agents: users.map((u) => String(u._id)), teams: teams.map(String) });
  }
  const setCapacities = async (perOrg: number) => {
    for (const { slug } of orgs) {
      const users = await tenantModels(slug).User.find({}, { _id: 1 }).lean();
      await tenantModels(slug).User.bulkWrite(users.map((u) => ({ updateOne: { filter: { _id: u._id }, update: { $set: { maxConcurrent: 1 + Math.ceil((perOrg / AGENTS) * 1.5 * Math.random()) } } } })));
    }
  };
  const makeConvs = async (n: number): Promise<Arrival[]> => {
    const out: Arrival[] = [];
    for (const { slug, teams } of orgs) {
      const m = tenantModels(slug);
      const customers = await m.Customer.insertMany(Array.from({ length: Math.ceil(n / ORGS) }, () => ({ name: 'c', identityKeys: [`b|${randomBytes(6).toString('hex')}`] })));
      const convs = await m.Conversation.insertMany(
        customers.map((c) => ({ customerId: c._id, channel: 'whatsapp', status: 'open', priority: pick(['low', 'normal', 'high', 'urgent']), teamId: Math.random() < 0.3 ? pick(teams) : undefined, requiredSkills: Math.random() < 0.5 ? [pick(SKILLS)] : [] })),
      );
      out.push(...convs.map((c) => ({ slug, id: String(c._id) })));
    }
    return out.sort(() => Math.random() - 0.5);
  };
  const resetAll = async () => {
    for (const { slug } of orgs) {
      await tenantModels(slug).Conversation.updateMany({ status: { $ne: 'resolved' } }, { $set: { status: 'resolved' }, $unset: { assigneeId: '', queuedAt: '' } });
      await tenantModels(slug).Assignment.updateMany({ active: true }, { $set: { active: false, endReason: 'resolved' } });
      await reconcileLoads(slug);
    }
  };
  // Agents stay online as the workspace keeps them: a heartbeat every 10 s (presence lives 35 s).
  let beating = true;
  const beat = async () => {
    for (const o of orgs) for (const a of o.agents) if (beating) await heartbeat(o.slug, a, 'online');
  };
  await beat();
  const beats = setInterval(() => void beat(), 10_000);

  const env = { ...process.env, BENCH_CONCURRENCY: String(CONCURRENCY) };
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startWorker(env)));
  const pending = new Map<string, () => void>();
  const errors: string[] = [];
  const stats: Array<(m: ChildMsg) => void> = [];
  for (const w of workers) {
    createInterface({ input: w.proc.stdout }).on('line', (line) => {
      const m = JSON.parse(line) as ChildMsg;
      if (m.error) errors.push(m.error);
      if (m.done) pending.get(m.done)?.();
      if (m.cpuMs !== undefined) stats.shift()?.(m);
    });
  }
  const workerStats = () =>
    Promise.all(workers.map((w) => new Promise<ChildMsg>((resolve) => (stats.push(resolve), w.send({ stats: true })))));
  let rr = 0;
  const arrive = (a: Arrival, sentAt: Map<string, number>) =>
    new Promise<void>((resolve) => {
      pending.set(a.id, resolve);
      sentAt.set(a.id, Date.now());
      workers[rr++ % workers.length]!.send(a);
    });

  /** Arrival -> assignment record, in ms, for every assigned conversation. */
  const decisionLatencies = async (sentAt: Map<string, number>) => {
    const out: number[] = [];
    for (const { slug } of orgs) {
      for (const a of await tenantModels(slug).Assignment.find({ active: true }, { conversationId: 1, createdAt: 1 }).lean()) {
        const t = sentAt.get(String(a.conversationId));
        if (t !== undefined) out.push(a.createdAt.getTime() - t);
      }
    }
    return out.sort((x, y) => x - y);
  };

  /** The guarantees, checked on the database and the counters after a phase. */
  const check = async () => {
    const problems: string[] = [];
    let assigned = 0;
    let waiting = 0;
    for (const { slug } of orgs) {
      const m = tenantModels(slug);
      const users = new Map((await m.User.find({}, { skills: 1, teamIds: 1, maxConcurrent: 1 }).lean()).map((u) => [String(u._id), u]));
      const convs = await m.Conversation.find({ status: { $ne: 'resolved' } }, { assigneeId: 1, requiredSkills: 1, teamId: 1 }).lean();
      const counts = new Map<string, number>();
      for (const c of convs) {
        if (!c.assigneeId) {
          waiting++;
          continue;
        }
        assigned++;
        const agentId = String(c.assigneeId);
        counts.set(agentId, (counts.get(agentId) ?? 0) + 1);
        const u = users.get(agentId)!;
        if (!c.requiredSkills.every((s) => u.skills.includes(s))) problems.push(`${c._id}: skills not covered`);
        if (c.teamId && !u.teamIds.map(String).includes(String(c.teamId))) problems.push(`${c._id}: wrong team`);
      }
      const active = await m.Assignment.aggregate<{ _id: unknown; n: number; agents: unknown[] }>([{ $match: { active: true } }, { $group: { _id: '$conversationId', n: { $sum: 1 }, agents: { $push: '$agentId' } } }]);
      const byConv = new Map(convs.map((c) => [String(c._id), c.assigneeId ? String(c.assigneeId) : null]));
      for (const a of active) {
        if (a.n > 1) problems.push(`${String(a._id)}: ${a.n} active assignments`);
        if (byConv.get(String(a._id)) !== String(a.agents[0])) problems.push(`${String(a._id)}: active record disagrees with the conversation`);
      }
      if (active.length !== [...byConv.values()].filter(Boolean).length) problems.push(`${slug}: ${active.length} active records for ${assigned} assigned`);
      const logged = await m.EventLog.aggregate<{ _id: unknown; n: number }>([{ $match: { type: 'conversation.assigned' } }, { $group: { _id: '$conversationId', n: { $sum: 1 } } }, { $match: { n: { $gt: 1 } } }]);
      for (const l of logged) problems.push(`${String(l._id)}: assigned ${l.n} times`);
      const loads = await loadsOf(slug);
      for (const [agentId, u] of users) {
        const n = counts.get(agentId) ?? 0;
        if (n > u.maxConcurrent) problems.push(`${agentId}: ${n} conversations over capacity ${u.maxConcurrent}`);
        if ((loads[agentId] ?? 0) !== n) problems.push(`${agentId}: counter ${loads[agentId] ?? 0}, conversations ${n}`);
      }
    }
    return { assigned, waiting, problems };
  };
  const report = (label: string, r: Awaited<ReturnType<typeof check>>) => {
    console.log(`  checks (${label}): ${r.assigned} assigned, ${r.waiting} waiting; ${r.problems.length ? `${r.problems.length} PROBLEMS: ${r.problems.slice(0, 5).join('; ')}` : 'no double assignment, nobody over capacity, skills and teams covered, counters agree'}`);
    return r.problems.length;
  };
  let problems = 0;
  // 1. Saturation.
  await setCapacities(CONVS / ORGS);
  const burst = await makeConvs(CONVS);
  const sentAt = new Map<string, number>();
  const redisCpuMs = async () => {
    const info = await redis().info('cpu');
    const v = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
    return (v('used_cpu_user') + v('used_cpu_sys')) * 1000;
  };
  const before = { mongo: mongoCpuMs(mongo?.pid), workers: (await workerStats()).reduce((n, s) => n + s.cpuMs!, 0), redis: await redisCpuMs() };
  const t0 = performance.now();
  await Promise.all(burst.map((a) => arrive(a, sentAt)));
  const secs = (performance.now() - t0) / 1000;
  const satLoad = load();
  const satStats = await workerStats();
  const satWorkersCpu = satStats.reduce((n, s) => n + s.cpuMs!, 0) - before.workers;
  const satMongoCpu = mongoCpuMs(mongo?.pid) - before.mongo;
  const satRedisCpu = (await redisCpuMs()) - before.redis;
  const satRate = burst.length / secs;
  const satLat = await decisionLatencies(sentAt);
  const sat = await check();
  console.log(`1. saturation: ${burst.length} arrivals, ${CONCURRENCY} in flight per worker: ${satRate.toFixed(0)} decisions/s in ${secs.toFixed(2)} s; arrival->assigned p50 ${ms(pct(satLat, 50))} p99 ${ms(pct(satLat, 99))}; CPU per decision: workers ${(satWorkersCpu / burst.length).toFixed(2)} ms + MongoDB ${(satMongoCpu / burst.length).toFixed(2)} ms (+ Redis ${(satRedisCpu / burst.length).toFixed(2)} ms, shared with every client of it); load ${satLoad}`);
  problems += report('saturation', sat);

  // 2. Steady rate.
  let steady: { lat: number[]; achieved: number } | undefined;
  if (RATE) {
    await resetAll();
    const total = RATE * SECONDS;
    await setCapacities(total / ORGS);
    const arrivals = await makeConvs(total);
    const sent = new Map<string, number>();
    const cpu0 = { mongo: mongoCpuMs(mongo?.pid), workers: (await workerStats()).reduce((n, s) => n + s.cpuMs!, 0), redis: await redisCpuMs() };
    const start = Date.now();
    const done: Array<Promise<void>> = [];
    let next = 0;
    while (next < arrivals.length) {
      const due = Math.min(arrivals.length, Math.floor(((Date.now() - start) / 1000) * RATE));
      while (next < due) done.push(arrive(arrivals[next++]!, sent));
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(done);
    const achieved = arrivals.length / ((Date.now() - start) / 1000);
    const steadyLoad = load();
    const wCpu = (await workerStats()).reduce((n, s) => n + s.cpuMs!, 0) - cpu0.workers;
    const mCpu = mongoCpuMs(mongo?.pid) - cpu0.mongo;
    const rCpu = (await redisCpuMs()) - cpu0.redis;
    const lat = await decisionLatencies(sent);
    const st = await check();
    console.log(`2. steady: ${RATE}/s for ${SECONDS} s (${arrivals.length} arrivals, achieved ${achieved.toFixed(0)}/s): arrival->assigned p50 ${ms(pct(lat, 50))} p95 ${ms(pct(lat, 95))} p99 ${ms(pct(lat, 99))} max ${ms(lat.at(-1) ?? NaN)}; CPU per decision: workers ${(wCpu / arrivals.length).toFixed(2)} ms + MongoDB ${(mCpu / arrivals.length).toFixed(2)} ms (+ Redis ${(rCpu / arrivals.length).toFixed(2)} ms, shared); load ${steadyLoad}`);
    problems += report('steady', st);
    steady = { lat, achieved };
  }

  // 3. Queue drain: agents offline, a backlog queues, agents return, one drain per organisation.
  beating = false;
  clearInterval(beats);
  await resetAll();
  for (const o of orgs) for (const a of o.agents) await heartbeat(o.slug, a, 'offline');
  const backlog = await makeConvs(Math.min(CONVS, 2000));
  await setCapacities(backlog.length / ORGS);
  for (const c of backlog) await requestAssignment(c.slug, c.id);
  for (const o of orgs) for (const a of o.agents) await heartbeat(o.slug, a, 'online');
  const d0 = performance.now();
  const drained = (await Promise.all(orgs.map((o) => drainQueue(o.slug)))).reduce((a, b) => a + b, 0);
  const dsecs = (performance.now() - d0) / 1000;
  console.log(`3. queue drain: ${drained} of ${backlog.length} waiting assigned in ${dsecs.toFixed(2)} s = ${(drained / dsecs).toFixed(0)}/s; load ${load()}`);
  problems += report('drain', await check());

  const finalStats = await workerStats();
  const mongoRss = mongoRssMB(mongo?.pid);
  console.log(`memory: worker processes ${finalStats.map((s) => `${s.rssMB!.toFixed(0)} MB`).join(', ')}; embedded MongoDB ${mongoRss.toFixed(0)} MB; this process ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  if (errors.length) console.log(`errors from the engine: ${errors.length}, first: ${errors[0]}`);
  const steadyPart = steady ? `; steady ${RATE}/s (achieved ${steady.achieved.toFixed(0)}/s): p50 ${ms(pct(steady.lat, 50))}, p99 ${ms(pct(steady.lat, 99))}` : '';
  console.log(`SUMMARY assignment: ${satRate.toFixed(0)} decisions/s at saturation (${WORKERS} workers, ${((satWorkersCpu + satMongoCpu) / burst.length).toFixed(2)} ms CPU per decision in workers + MongoDB)${steadyPart}; drain ${(drained / dsecs).toFixed(0)}/s; ${problems || errors.length ? `${problems} PROBLEMS, ${errors.length} errors` : 'no double assignment, none over capacity'}; load ${load()}`);

  for (const w of workers) w.proc.stdin.end();
  await Promise.all(workers.map((w) => new Promise((r) => w.proc.once('exit', r))));
  for (const { slug } of orgs) await tenantModels(slug).User.db.dropDatabase();
  await platformModels().Organization.db.dropDatabase();
  // Everything this run left in Redis (queues, counters, presence, delayed no-answer timers).
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis().scan(cursor, 'MATCH', `${process.env.REDIS_PREFIX}:*`, 'COUNT', 1000);
    cursor = nextCursor;
    if (keys.length) await redis().unlink(...keys);
  } while (cursor !== '0');
  await Promise.allSettled([closeEmitter(), closeQueues(), closeConfigEvents(), closeRedis(), disconnectMongo()]);
  mongo?.stop();
  process.exit(problems || errors.length ? 1 : 0);
}

function startWorker(env: NodeJS.ProcessEnv): Promise<Worker> {
  // --profile: each worker writes a .cpuprofile on exit.
  const profile = process.argv.includes('--profile') ? ['--cpu-prof', `--cpu-prof-dir=${PROFILES}`] : [];
  const proc = spawn(process.execPath, [...profile, '--import', 'tsx', 'bench/assignment.ts', '--child'], { env });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += String(d)));
  const send = (m: unknown) => proc.stdin.write(`${JSON.stringify(m)}\n`);
  return new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout }).once('line', (line) => (line.includes('ready') ? resolve({ proc, send }) : reject(new Error(line))));
    proc.once('exit', (code) => reject(new Error(`worker exited (${code}): ${stderr}`)));
  });
}

/** The embedded MongoDB in a child (its launcher runs the server in a grandchild). */
async function startMongo(): Promise<{ uri: string; pid: number; stop: () => void }> {
  // Profiled in-process under tsx (the bundled grandchild cannot be given --cpu-prof).
  const profiling = process.argv.includes('--profile');
  const flags = profiling ? ['--cpu-prof', `--cpu-prof-dir=${PROFILES}/mongo`] : [];
  const env = profiling ? { ...process.env, EMBEDDED_MONGO_NO_BUNDLE: '1' } : process.env;
  const proc = spawn(process.execPath, [...flags, '--import', 'tsx', 'embedded-mongo/bin/embedded-mongo.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const uri = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`embedded-mongo exited (${code})`)));
  });
  return { uri, pid: proc.pid!, stop: () => proc.kill('SIGTERM') };
}

/** A process and its descendants, from /proc (Linux). */
function family(pid: number | undefined): number[] {
  if (!pid) return [];
  const parents = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parents.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [child, parent] of parents) if (parent === out[i]) out.push(child);
  return out;
}
function mongoCpuMs(pid: number | undefined): number {
  let ticks = 0;
  for (const p of family(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime + stime
    } catch {
      /* gone */
    }
  }
  return ticks * 10; // USER_HZ = 100
}
function mongoRssMB(pid: number | undefined): number {
  let kb = 0;
  for (const p of family(pid)) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      /* gone */
    }
  }
  return kb / 1024;
}
