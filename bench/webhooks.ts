/**
 * Webhook ingestion benchmark:
 *   NEXT_DIST_DIR=.next-ingest npx next build     (once; a production build of your own)
 *   NEXT_DIST_DIR=.next-ingest npx tsx bench/webhooks.ts   [--target ingest|next|http|both --seconds 10 --concurrency 32
 *       --dup 0.05 --warmup 5]
 *
 * `--target ingest` (default) posts to the real ingest process (ingest/index.ts, what production
 * routes /api/webhooks/* to; no Next build needed); `--target next` posts to the Next.js production
 * server (`next start`, route src/app/api/webhooks/meta/[inboxId]); `--target http` mounts the same handler (acceptWebhook) in a
 * plain node:http server inside this process, to isolate the handler's own cost from Next's;
 * `--target both` runs http, ingest and next one after the other and prints all. A load generator in a child process
 * sends signed WhatsApp Cloud API webhooks (one text message each, a share of them redelivered as
 * Meta does) over keep-alive connections and reports accepted webhooks per second and
 * acknowledgement latency p50/p99, with the web process's CPU per webhook. Then a real worker
 * process drains the queue (drain rate, worker and MongoDB CPU per message) and the benchmark
 * checks the database: every acknowledged message exactly once, nothing lost, nothing duplicated.
 * Embedded MongoDB (child process) unless MONGO_URI is set; Redis on REDIS_HOST:REDIS_PORT.
 * Targets: >= 1,500 webhooks/s, p99 < 50 ms.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { loadLine, startBenchStack } from './lib/stack';
import { createBenchOrganization, createWhatsAppInbox, signedPost, whatsappTextBody } from './lib/whatsapp';

const arg = (name: string, def: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? def) || def;
const flag = (name: string, def: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1]! : def);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

if (process.argv.includes('--load')) void load();
else void main();

/** Load generator (child process): prints one JSON line with the results. */
async function load() {
  const [url, secret, phoneNumberId] = [process.env.BENCH_URL!, process.env.BENCH_SECRET!, process.env.BENCH_PHONE!];
  const seconds = arg('seconds', 5);
  const concurrency = arg('concurrency', 32);
  const dup = Number(process.env.BENCH_DUP ?? 0.05);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const acked = new Set<string>();
  const sent: string[] = [];
  let failures = 0;
  const end = Date.now() + seconds * 1000;
  const post = (body: string) => signedPost(agent, url, secret, body);
  let n = 0;
  const loop = async () => {
    while (Date.now() < end) {
      const replay = sent.length > 0 && Math.random() < dup;
      const id = replay ? sent[Math.floor(Math.random() * sent.length)]! : `wamid.BENCH${randomBytes(6).toString('hex')}${n++}`;
      if (!replay) sent.push(id);
      const from = `1555${String(n % 500).padStart(7, '0')}`;
      const body = whatsappTextBody(phoneNumberId, from, id, `bench ${id}`);
      const t0 = performance.now();
      const status = await post(body);
      latencies.push(performance.now() - t0);
      if (status === 200) acked.add(id);
      else failures++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  process.stdout.write(
    `${JSON.stringify({ requests: latencies.length, elapsed, p50: pct(latencies, 50), p99: pct(latencies, 99), failures, acked: [...acked] })}\n`,
  );
}

async function startChild(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${args[0]} exited (${code})`)));
  });
  return { child, firstLine };
}

interface LoadResult {
  requests: number;
  elapsed: number;
  p50: number;
  p99: number;
  failures: number;
  acked: string[];
}

async function main() {
  const run = randomBytes(3).toString('hex');
  const targetArg = flag('target', 'ingest');
  if (!['ingest', 'next', 'http', 'both'].includes(targetArg)) throw new Error('--target is ingest, next, http or both');
  const targets = targetArg === 'both' ? (['http', 'ingest', 'next'] as const) : ([targetArg] as Array<'ingest' | 'next' | 'http'>);
  const stack = await startBenchStack({ run, quiet: !process.env.BENCH_VERBOSE });
  const { connectMongo, disconnectMongo } = await import('@/server/db/mongo');
  const { closeQueues } = await import('@/server/queues');
  const { closeRedis } = await import('@/server/redis');
  const { closeConfigEvents } = await import('@/server/tenancy/config-events');
  const { platformModels } = await import('@/server/db/models/platform');
  const { tenantModels } = await import('@/server/tenancy/connections');
  const { acceptWebhook } = await import('@/server/webhooks/accept');
  const { WEBHOOK_BODY_LIMIT } = await import('@/server/webhooks/raw-body');
  // node:http's own stream, with the same limit as the Next route's readLimitedBody.
  const readBody = (req: http.IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > WEBHOOK_BODY_LIMIT) req.destroy(new Error('too large'));
        else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  await connectMongo();
  const slug = `bench${run}`;
  await createBenchOrganization(slug);
  const { inbox, secret, phoneNumberId } = await createWhatsAppInbox(slug);
  const seconds = arg('seconds', 5);
  const concurrency = arg('concurrency', 32);
  const path = `/api/webhooks/meta/${inbox.publicId}`;
  const acked = new Set<string>();
  const summary: string[] = [];

  for (const target of targets) {
    let url: string;
    let server: http.Server | undefined;
    if (target === 'ingest') {
      await stack.start('ingest');
      url = `http://127.0.0.1:${stack.ingestPort}${path}`;
    } else if (target === 'next') {
      await stack.start('web');
      url = `http://127.0.0.1:${stack.webPort}${path}`;
      // First requests compile nothing in production, but warm the route's module graph and caches.
      for (let i = 0; i < 3; i++) await fetch(url, { method: 'POST', body: '{}' });
    } else {
      server = http.createServer((req, res) => {
        const publicId = /^\/api\/webhooks\/meta\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '';
        readBody(req)
          .then((body) =>
            acceptWebhook('meta', publicId, {
              method: req.method ?? 'GET',
              url: `http://bench${req.url}`,
              headers: { get: (n) => (req.headers[n.toLowerCase()] as string | undefined) ?? null },
              body,
            }),
          )
          .then((r) => res.writeHead(r.status, { 'content-type': r.contentType }).end(r.body))
          .catch(() => res.writeHead(413).end());
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}${path}`;
    }
    const where = {
      ingest: 'the ingest process (ingest/index.ts)',
      next: 'the Next.js production server (next start)',
      http: 'a plain node:http server in the bench process (same acceptWebhook as the Next route)',
    }[target];
    console.log(`\nwebhook bench [${target}]: ${seconds}s (after ${arg('warmup', 5)}s of warm-up), ${concurrency} connections, ${where}`);
    const webCpu = () =>
      target === 'http' ? (process.cpuUsage().user + process.cpuUsage().system) / 1000 : stack.usage()[target === 'next' ? 'web' : 'ingest']!.cpuMs;
    const generate = async (secs: number) => {
      const gen = await startChild(
        ['bench/webhooks.ts', '--load', '--seconds', String(secs), '--concurrency', String(concurrency)],
        { ...process.env, BENCH_URL: url, BENCH_SECRET: secret, BENCH_PHONE: phoneNumberId, BENCH_DUP: String(arg('dup', 0.05)) },
      );
      return JSON.parse(await gen.firstLine) as LoadResult;
    };
    // A production server is warm: the JIT has compiled Next's and our code. Those seconds are not
    // measured, but their messages count in the exactly-once check like any other.
    const warmup = arg('warmup', 5);
    if (warmup > 0) for (const id of (await generate(warmup)).acked) acked.add(id);
    const cpu0 = webCpu();
    const result = await generate(seconds);
    const cpuMs = webCpu() - cpu0;
    server?.close();
    for (const id of result.acked) acked.add(id);
    const accepted = result.requests - result.failures;
    const rate = Math.round(accepted / result.elapsed);
    const cpuPerHook = cpuMs / Math.max(1, accepted);
    const load = await loadLine();
    console.log(`accepted: ${accepted.toLocaleString()} webhooks in ${result.elapsed.toFixed(1)} s = ${rate} webhooks/s (${result.failures} refused)`);
    console.log(`ack latency: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`);
    console.log(
      `${target === 'next' ? 'web' : target} process CPU: ${cpuPerHook.toFixed(2)} ms per webhook (one free core would ack ~${Math.round(1000 / cpuPerHook)}/s); ${load}`,
    );
    summary.push(`${target} ${rate}/s p99 ${result.p99.toFixed(0)} ms cpu ${cpuPerHook.toFixed(2)} ms/hook`);
  }
  console.log(`\ndistinct messages acknowledged: ${acked.size} (the rest were redeliveries)`);

  const before = stack.usage();
  const started = Date.now();
  await stack.start('worker');
  const { ConversationMessage } = tenantModels(slug);
  let count = 0;
  const deadline = Date.now() + arg('drain-timeout', 900) * 1000;
  while (Date.now() < deadline) {
    count = await ConversationMessage.countDocuments();
    if (count >= acked.size) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const drainS = (Date.now() - started) / 1000;
  const after = stack.usage();
  await new Promise((r) => setTimeout(r, 2000));
  const stored = await ConversationMessage.find().select({ providerMessageId: 1 }).lean();
  const ids = new Set(stored.map((m) => m.providerMessageId));
  const lost = [...acked].filter((id) => !ids.has(id)).length;
  const perMsg = (name: string) => ((after[name]?.cpuMs ?? 0) - (before[name]?.cpuMs ?? 0)) / Math.max(1, stored.length);
  console.log(
    `worker drain: ${stored.length} messages stored in ${drainS.toFixed(1)} s (${Math.round(stored.length / drainS)} msg/s incl. worker start-up); CPU per message: worker ${perMsg('worker').toFixed(2)} ms (start-up included), MongoDB ${perMsg('mongo').toFixed(2)} ms; ${await loadLine()}`,
  );
  const duplicated = stored.length - ids.size;
  const neverAcked = [...ids].filter((id) => !acked.has(id!)).length;
  console.log(`lost: ${lost}, duplicated: ${duplicated}, stored but never acknowledged: ${neverAcked}`);
  const rss = Object.entries(stack.usage())
    .map(([n, u]) => `${n} ${u.rssMB.toFixed(0)} MB`)
    .join(', ');
  console.log(`memory (RSS): ${rss}`);
  console.log(
    `SUMMARY webhooks: ${summary.join('; ')}; drain ${Math.round(stored.length / drainS)} msg/s; lost ${lost}, duplicated ${duplicated} (targets >= 1500/s, p99 < 50 ms); ${await loadLine()}`,
  );
  await platformModels().Organization.deleteOne({ slug });
  await tenantModels(slug).ConversationMessage.db.dropDatabase();
  await platformModels().Organization.db.dropDatabase();
  await stack.stop();
  await Promise.allSettled([closeQueues(), closeConfigEvents(), closeRedis(), disconnectMongo()]);
  process.exit(lost === 0 && duplicated === 0 ? 0 : 1);
}
