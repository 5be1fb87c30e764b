/**
 * Media download benchmark:
 *   npx tsx bench/media.ts [--messages 200 --kb 256]
 *
 * A real worker process (bench/lib/stack.ts: embedded MongoDB child unless MONGO_URI, Redis on
 * REDIS_HOST:REDIS_PORT, a prefix of its own) drains `--messages` WhatsApp image messages queued
 * for ingest at once; each becomes an `inbox-media` job that looks the media up on a local fake
 * Graph API, downloads `--kb` KB and stores it in a local S3 server (SigV4 checked), both in this
 * process. Prints media stored per second, queue-to-stored latency p50/p95/p99, worker CPU per
 * download and RSS, then checks: every object stored once with the right sha256, quota = bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { platformModels } from '../src/server/db/models/platform';
import { connectMongo, disconnectMongo } from '../src/server/db/mongo';
import { closeQueues, enqueue } from '../src/server/queues';
import { ingestJob } from '../src/server/queues/jobs/inbox';
import { tenantModels } from '../src/server/tenancy/connections';
import { closeRedis } from '../src/server/redis';
import { startS3Server } from '../tests/integration/fixtures/s3-server';
import { startFakeMedia } from '../tests/support/fake-providers/media';
import { META_SECRETS, orgWithInbox, TWILIO } from '../tests/support/inbox-fixtures';
import { startBenchStack, treeUsage } from './lib/stack';

const arg = (name: string, def: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? def) || def;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main() {
  const messages = arg('messages', 200);
  const size = arg('kb', 256) * 1024;
  const run = randomBytes(3).toString('hex');
  const S3 = { accessKeyId: 'AKIABENCH', secretAccessKey: randomBytes(12).toString('hex'), bucket: 'bench-media' };
  const s3 = await startS3Server({ ...S3, region: 'us-east-1', buckets: [S3.bucket] });
  const media = await startFakeMedia({ accessToken: META_SECRETS.accessToken, twilio: TWILIO });
  Object.assign(process.env, {
    DO_SPACE_KEY: S3.accessKeyId,
    DO_SPACE_SECRET: S3.secretAccessKey,
    DO_SPACE_ENDPOINT: s3.url,
    DO_SPACE_BUCKET: S3.bucket,
    META_GRAPH_BASE_URL: media.graphBase,
  });
  const stack = await startBenchStack({ run: `media${run}`, quiet: true });
  try {
    await connectMongo();
    const { slug, inbox } = await orgWithInbox();
    await platformModels().Organization.updateOne(
      { slug },
      { $set: { 'plan.maxStorageMB': Math.ceil((messages * size) / 1048576) + 10 } },
    );
    const expected = new Map<string, string>(); // provider message id -> sha256
    for (let i = 0; i < messages; i++) {
      const bytes = randomBytes(size);
      const mediaId = `9${run}${i}`;
      media.files.set(mediaId, { bytes, mimeType: 'image/jpeg' });
      expected.set(`wamid.bench${run}.${i}`, createHash('sha256').update(bytes).digest('hex'));
    }
    await stack.start('worker'); // started first: latency below is queueing + work, not process start-up
    const startUsage = stack.usage();
    const queuedAt = Date.now();
    let i = 0;
    for (const pid of expected.keys()) {
      await enqueue(
        ingestJob,
        {
          slug,
          inboxId: inbox.id,
          event: {
            kind: 'message',
            channel: 'whatsapp',
            providerMessageId: pid,
            from: { externalId: `1555${run.length}${i % 50}`, name: `Bench ${i % 50}` },
            timestamp: Date.now(),
            type: 'media',
            attachments: [{ kind: 'image', mediaId: `9${run}${i}`, mimeType: 'image/jpeg' }],
          },
        },
        { jobId: `bench-${run}-${i}` },
      );
      i++;
    }
    const enqueuedIn = Date.now() - queuedAt;
    const { ConversationMessage } = tenantModels(slug);
    const deadline = Date.now() + 10 * 60_000;
    let settled = 0;
    while (Date.now() < deadline) {
      settled = await ConversationMessage.countDocuments({ 'attachments.0.status': { $in: ['stored', 'failed'] } });
      if (settled >= messages) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const after = stack.usage();
    const docs = await ConversationMessage.find({}).select({ providerMessageId: 1, attachments: 1 }).lean();
    const atts = docs.map((d) => ({
      pid: d.providerMessageId!,
      a: (d.attachments as unknown as Array<Record<string, unknown>>)[0]!,
    }));
    const stored = atts.filter((x) => x.a.status === 'stored');
    const latencies = stored.map((x) => new Date(x.a.storedAt as string).getTime() - queuedAt);
    const lastStored = Math.max(...stored.map((x) => new Date(x.a.storedAt as string).getTime()));
    const firstStored = Math.min(...stored.map((x) => new Date(x.a.storedAt as string).getTime()));
    const wrong = stored.filter(
      (x) =>
        x.a.sha256 !== expected.get(x.pid) ||
        createHash('sha256')
          .update(s3.buckets.get(S3.bucket)!.get(x.a.key as string)!.body)
          .digest('hex') !== expected.get(x.pid),
    );
    const usage = (await platformModels().Organization.findOne({ slug }).lean())?.usage?.storageBytes ?? 0;
    const workerCpu = after.worker!.cpuMs - startUsage.worker!.cpuMs;
    const mongoCpu = (after.mongo?.cpuMs ?? 0) - (startUsage.mongo?.cpuMs ?? 0);
    const rate = stored.length / Math.max(0.001, (lastStored - queuedAt) / 1000);
    console.log(`load average: ${load()}`);
    console.log(
      `messages ${messages} x ${size / 1024} KB: stored ${stored.length}, failed ${atts.length - stored.length}, wrong bytes ${wrong.length}, S3 objects ${s3.buckets.get(S3.bucket)!.size}, quota ${usage} (expected ${messages * size})`,
    );
    console.log(
      `queue-to-stored latency ms: p50 ${pct(latencies, 50)} p95 ${pct(latencies, 95)} p99 ${pct(latencies, 99)}; first stored after ${firstStored - queuedAt} ms, all ${messages} queued in ${enqueuedIn} ms`,
    );
    console.log(
      `worker: ${(workerCpu / Math.max(1, stored.length)).toFixed(2)} ms CPU per download (ingest + download + S3 put), RSS ${after.worker!.rssMB.toFixed(0)} MB; mongo ${(mongoCpu / Math.max(1, stored.length)).toFixed(2)} ms CPU per message; bench process (fake Graph + S3) ${treeUsage(process.pid).cpuMs} ms CPU total`,
    );
    console.log(`problems: s3 ${s3.problems.length}, graph ${media.problems.length}`);
    const ok =
      stored.length === messages &&
      wrong.length === 0 &&
      usage === messages * size &&
      s3.problems.length === 0 &&
      media.problems.length === 0;
    console.log(
      `SUMMARY media: ${rate.toFixed(1)} downloads/s of ${size / 1024} KB, p99 queue-to-stored ${pct(latencies, 99)} ms, ${(workerCpu / Math.max(1, stored.length)).toFixed(2)} ms worker CPU each, worker RSS ${after.worker!.rssMB.toFixed(0)} MB, ${ok ? 'all stored once, bytes verified' : 'CHECK FAILED'} (load ${load()})`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await stack.stop();
    await closeQueues();
    await closeRedis();
    await disconnectMongo();
    await s3.close();
    await media.close();
  }
}

// Exit explicitly: the SDK's and the fakes' keep-alive sockets would otherwise hold the process open.
void main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
