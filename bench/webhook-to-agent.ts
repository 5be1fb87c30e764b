/**
 * Webhook-to-agent latency benchmark:
 *   NEXT_DIST_DIR=.next-ingest npx next build     (once; a production build of your own)
 *   NEXT_DIST_DIR=.next-ingest npx tsx bench/webhook-to-agent.ts   [--rate 300 --seconds 60 --agents 5
 *       --customers 300 --new 0.05 --dup 0.02 --connections 64 --webhooks ingest|next]
 *
 * The real stack in separate processes (embedded MongoDB, web = `next start`, worker, realtime,
 * ingest). Webhooks go to the ingest process, as the production proxy routes them
 * (`--webhooks next` sends them to the Next.js route instead, for comparison);
 * an organisation with a WhatsApp inbox and `--agents` agents who sign in over HTTP exactly as the
 * workspace does (password sign-in, then /api/realtime/token with the session cookie), connect
 * real Socket.IO clients from the organisation's origin and go online with presence heartbeats.
 * `--customers` conversations exist before the clock starts. A load generator (child process)
 * then sends signed WhatsApp webhooks at a fixed rate (open loop: a slow server does not slow the
 * sender down), `--new` of them from customers never seen before (new conversations, assignment)
 * and `--dup` redeliveries of messages already sent. For every (message, agent) it records the time
 * from the webhook's send to that agent's socket receiving `inbox:message.created`; prints
 * p50/p95/p99/max, throughput, lost and duplicated events and stored messages, CPU per message of
 * every process and their memory, and one SUMMARY line against the target (p99 < 200 ms at
 * 300 msg/s for 60 s, nothing lost, nothing duplicated).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { io as connect, type Socket } from 'socket.io-client';
import { pct } from './lib/harness';
import { loadLine, startBenchStack } from './lib/stack';
import { createWhatsAppInbox, signedPost, whatsappTextBody } from './lib/whatsapp';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  return Number.isFinite(v) ? v : def;
};
const now = () => performance.timeOrigin + performance.now(); // the same clock in every process, sub-millisecond

if (process.argv.includes('--load')) void load();
else
  void main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });

/** Load generator (child process): fixed-rate sender; prints one JSON line with what it sent. */
async function load() {
  const { BENCH_URL: url, BENCH_SECRET: secret, BENCH_PHONE: phone, BENCH_SENDER_PREFIX: prefix } = process.env as Record<string, string>;
  const [rate, seconds, customers, fresh, dup] = ['rate', 'seconds', 'customers', 'new', 'dup'].map((k) => Number(process.env[`BENCH_${k.toUpperCase()}`]));
  const agent = new http.Agent({ keepAlive: true, maxSockets: arg('connections', 64) });
  const total = Math.round(rate! * seconds!);
  const sends: Array<[id: string, sentAt: number, status: number, ackMs: number]> = [];
  const sent: string[] = [];
  let newCustomers = 0;
  const inflight: Array<Promise<void>> = [];
  const cpu0 = process.cpuUsage();
  const t0 = now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate!;
    const wait = due - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const replay = sent.length > 0 && Math.random() < dup!;
    const id = replay ? sent[Math.floor(Math.random() * sent.length)]! : `wamid.W2A${randomBytes(6).toString('hex')}${i}`;
    const from = !replay && Math.random() < fresh! ? `${prefix}9${String(newCustomers++).padStart(6, '0')}` : `${prefix}${String(i % customers!).padStart(6, '0')}`;
    if (!replay) sent.push(id);
    const body = whatsappTextBody(phone!, from, id, `message ${i}`);
    const sentAt = now();
    inflight.push(
      signedPost(agent, url!, secret!, body).then((status) => {
        sends.push([id, sentAt, status, now() - sentAt]);
      }),
    );
  }
  const lastScheduled = now();
  await Promise.all(inflight);
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  process.stdout.write(
    `${JSON.stringify({ sends, elapsed: (lastScheduled - t0) / 1000, newCustomers, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
  );
}

interface LoadResult {
  sends: Array<[string, number, number, number]>;
  elapsed: number;
  newCustomers: number;
  cpuMs: number;
}

/** A request to the web app addressed by Host header, as a browser on the organisation's domain. */
function hostRequest(port: number, host: string, path: string, body: string, cookie = '') {
  return new Promise<{ status: number; cookies: string[]; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { host, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, cookies: res.headers['set-cookie'] ?? [], body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Signs an agent in the way the workspace does and opens their socket; records live message events. */
async function connectAgent(o: { webPort: number; host: string; email: string; password: string; onMessage: (id: string) => void }) {
  const signIn = await hostRequest(o.webPort, o.host, '/api/session/sign-in', JSON.stringify({ email: o.email, password: o.password }));
  if (signIn.status !== 200) throw new Error(`sign-in of ${o.email}: ${signIn.status} ${signIn.body}`);
  const cookie = signIn.cookies.map((c) => c.split(';')[0]).join('; ');
  const minted = await hostRequest(o.webPort, o.host, '/api/realtime/token', '', cookie);
  const { token, url } = JSON.parse(minted.body) as { token?: string; url?: string };
  if (!token || !url) throw new Error(`socket token for ${o.email}: ${minted.status} ${minted.body}`);
  const socket: Socket = connect(url.replace('localhost', '127.0.0.1'), {
    transports: ['websocket'],
    auth: { token },
    extraHeaders: { origin: `http://${o.host}` },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  socket.on('inbox:message.created', (e: { messageId?: string; direction?: string }) => {
    if (e.direction === 'in' && e.messageId) o.onMessage(e.messageId);
  });
  const beat = () => socket.emit('presence:heartbeat', { status: 'online' });
  beat();
  const timer = setInterval(beat, 20_000);
  return { socket, close: () => (clearInterval(timer), socket.disconnect()) };
}

async function main() {
  const run = randomBytes(3).toString('hex');
  const rate = arg('rate', 300);
  const seconds = arg('seconds', 60);
  const agentsN = arg('agents', 5);
  const customers = arg('customers', 300);
  const stack = await startBenchStack({ run, quiet: !process.env.BENCH_VERBOSE });
  const { connectMongo, disconnectMongo } = await import('@/server/db/mongo');
  const { closeQueues } = await import('@/server/queues');
  const { closeRedis } = await import('@/server/redis');
  const { closeConfigEvents } = await import('@/server/tenancy/config-events');
  const { platformModels } = await import('@/server/db/models/platform');
  const { tenantModels } = await import('@/server/tenancy/connections');
  const { provisionOrganization } = await import('@/server/tenancy/provisioning');
  const { hashPassword } = await import('@/server/crypto/passwords');

  await connectMongo();
  const slug = `w2a${run}`;
  await provisionOrganization({ slug, name: 'Webhook to agent bench', firstAdmin: { email: `admin@${slug}.test` } });
  const { inbox, secret, phoneNumberId } = await createWhatsAppInbox(slug);
  const password = 'Bench-agent-password-2026';
  const passwordHash = await hashPassword(password);
  const m = tenantModels(slug);
  const emails = Array.from({ length: agentsN }, (_, i) => `agent${i}@${slug}.test`);
  await m.User.insertMany(
    emails.map((email, i) => ({ email, displayName: `Agent ${i}`, role: 'Agent', status: 'active', passwordHash, maxConcurrent: 50 })),
  );

  const hooksTo = process.argv.includes('--webhooks') ? process.argv[process.argv.indexOf('--webhooks') + 1] : 'ingest';
  if (hooksTo !== 'ingest' && hooksTo !== 'next') throw new Error('--webhooks is ingest or next');
  await Promise.all([
    stack.start('realtime'),
    stack.start('worker'),
    stack.start('web'),
    ...(hooksTo === 'ingest' ? [stack.start('ingest')] : []),
  ]);
  const host = `${slug}.localhost:${stack.webPort}`;
  const received = emails.map(() => new Map<string, number[]>()); // per agent: messageId -> receive times
  const agents = await Promise.all(
    emails.map((email, i) =>
      connectAgent({
        webPort: stack.webPort,
        host,
        email,
        password,
        onMessage: (id) => {
          const times = received[i]!.get(id);
          if (times) times.push(now());
          else received[i]!.set(id, [now()]);
        },
      }),
    ),
  );
  console.log(`${agentsN} agents signed in, sockets connected, online`);

  // The existing conversations, and a warm stack, before the clock starts.
  const url = `http://127.0.0.1:${hooksTo === 'ingest' ? stack.ingestPort : stack.webPort}/api/webhooks/meta/${inbox.publicId}`;
  const prefix = `1444${Math.floor(Math.random() * 900 + 100)}`;
  const warm = new http.Agent({ keepAlive: true, maxSockets: 16 });
  for (let i = 0; i < customers; i += 16) {
    await Promise.all(
      Array.from({ length: Math.min(16, customers - i) }, (_, k) =>
        signedPost(warm, url, secret, whatsappTextBody(phoneNumberId, `${prefix}${String(i + k).padStart(6, '0')}`, `wamid.WARM${run}${i + k}`, 'hello')),
      ),
    );
  }
  warm.destroy();
  while ((await m.ConversationMessage.countDocuments({ applied: true })) < customers) await new Promise((r) => setTimeout(r, 300));
  await new Promise((r) => setTimeout(r, 1000));
  for (const r of received) r.clear();
  console.log(`${customers} conversations open; sending ${rate} msg/s for ${seconds} s (${arg('new', 0.05) * 100}% new customers, ${arg('dup', 0.02) * 100}% redeliveries)`);

  const before = stack.usage();
  const benchCpu0 = process.cpuUsage();
  const gen = spawn(process.execPath, ['--import', 'tsx', 'bench/webhook-to-agent.ts', '--load', '--connections', String(arg('connections', 64))], {
    env: {
      ...process.env,
      BENCH_URL: url,
      BENCH_SECRET: secret,
      BENCH_PHONE: phoneNumberId,
      BENCH_SENDER_PREFIX: prefix,
      BENCH_RATE: String(rate),
      BENCH_SECONDS: String(seconds),
      BENCH_CUSTOMERS: String(customers),
      BENCH_NEW: String(arg('new', 0.05)),
      BENCH_DUP: String(arg('dup', 0.02)),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: gen.stdout! }).once('line', resolve);
    gen.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
  });
  const result = JSON.parse(line) as LoadResult;
  const acked = new Map<string, number>(); // providerMessageId -> first send time of an acknowledged copy
  for (const [id, sentAt, status] of result.sends) if (status === 200 && !(acked.get(id)! <= sentAt)) acked.set(id, sentAt);
  const refused = result.sends.filter(([, , status]) => status !== 200).length;
  const acks = result.sends.map(([, , , ackMs]) => ackMs);

  // Stragglers: wait until every agent has an event for every acknowledged message, or 30 s without news.
  const { ConversationMessage } = m;
  for (let last = -1, quiet = 0; quiet < 30; ) {
    const got = received.reduce((n, r) => n + r.size, 0);
    if (got >= acked.size * agentsN) break;
    quiet = got === last ? quiet + 1 : 0;
    last = got;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const after = stack.usage();
  const benchCpu = process.cpuUsage(benchCpu0);

  // Everything, not an $in of thousands of ids: one scan is what the embedded server does fastest.
  const stored = (await ConversationMessage.find({ direction: 'in' }).select({ providerMessageId: 1 }).lean()).filter((s) =>
    acked.has(s.providerMessageId!),
  );
  const byMessageId = new Map(stored.map((s) => [String(s._id), s.providerMessageId!]));
  const storedIds = new Set(stored.map((s) => s.providerMessageId));
  const lostStored = [...acked.keys()].filter((id) => !storedIds.has(id)).length;
  const duplicatedStored = stored.length - storedIds.size;
  const latencies: number[] = [];
  let lostEvents = 0;
  let duplicatedEvents = 0;
  for (const r of received) {
    const seen = new Set<string>();
    for (const [messageId, times] of r) {
      const providerId = byMessageId.get(messageId);
      if (!providerId) continue; // not one of the timed messages
      seen.add(providerId);
      duplicatedEvents += times.length - 1;
      latencies.push(times[0]! - acked.get(providerId)!);
    }
    lostEvents += [...acked.keys()].filter((id) => !seen.has(id)).length;
  }
  const load = await loadLine();
  const stat = (xs: number[], p: number) => `${pct(xs, p).toFixed(1)} ms`;
  console.log(
    `sent ${result.sends.length} webhooks in ${result.elapsed.toFixed(1)} s (${(result.sends.length / result.elapsed).toFixed(0)}/s offered), ${acked.size} distinct messages acknowledged, ${refused} refused, ${result.newCustomers} new customers`,
  );
  console.log(`ack latency: p50 ${stat(acks, 50)}, p99 ${stat(acks, 99)}, max ${Math.max(...acks).toFixed(1)} ms`);
  console.log(
    `webhook -> agent socket (${latencies.length} deliveries to ${agentsN} agents): p50 ${stat(latencies, 50)}, p95 ${stat(latencies, 95)}, p99 ${stat(latencies, 99)}, max ${Math.max(...latencies).toFixed(1)} ms`,
  );
  console.log(`stored: ${stored.length} (lost ${lostStored}, duplicated ${duplicatedStored}); live events: lost ${lostEvents}, duplicated ${duplicatedEvents}`);
  const msgs = Math.max(1, acked.size);
  const cpu = Object.keys(after)
    .map((n) => `${n} ${((after[n]!.cpuMs - (before[n]?.cpuMs ?? 0)) / msgs).toFixed(2)}`)
    .join(', ');
  console.log(
    `CPU per message (ms): ${cpu}, load generator ${(result.cpuMs / msgs).toFixed(2)}, agents' clients ${((benchCpu.user + benchCpu.system) / 1000 / msgs).toFixed(2)}; ${load}`,
  );
  console.log(
    `memory (RSS): ${Object.entries(after)
      .map(([n, u]) => `${n} ${u.rssMB.toFixed(0)} MB`)
      .join(', ')}, bench+agents ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
  );
  const p99 = pct(latencies, 99);
  const ok = p99 < 200 && lostStored + lostEvents + duplicatedStored + duplicatedEvents === 0 && refused === 0;
  console.log(
    `SUMMARY webhook-to-agent: ${rate} msg/s x ${seconds} s, ${agentsN} agents, webhooks via ${hooksTo}: p50 ${stat(latencies, 50)} p99 ${p99.toFixed(1)} ms max ${Math.max(...latencies).toFixed(0)} ms; lost ${lostStored} stored/${lostEvents} events, duplicated ${duplicatedStored}/${duplicatedEvents}, refused ${refused} -> ${ok ? 'TARGET MET' : 'TARGET NOT MET'} (p99 < 200 ms at 300 msg/s, nothing lost or duplicated); ${load}`,
  );

  for (const a of agents) a.close();
  await platformModels().Organization.deleteOne({ slug });
  await m.ConversationMessage.db.dropDatabase();
  await platformModels().Organization.db.dropDatabase();
  await stack.stop();
  await Promise.allSettled([closeQueues(), closeConfigEvents(), closeRedis(), disconnectMongo()]);
  process.exit(ok ? 0 : 1);
}
