/**
 * File-backed Journal: append-only journal with group commit, replay with torn-tail truncation, and
 * compaction into snapshots. File layout and crash reasoning: see file-layout.ts.
 *
 * Contract with the engine (beyond the Journal interface):
 * - Apply a write to memory and call commit() for it in the same synchronous step, then await commit()
 *   before acknowledging. Batches are journaled in the order commit() is called.
 * - compact(state) calls state() synchronously, inside the compact() call, and consumes the iterable
 *   before returning: it must describe exactly the effect of every batch passed to commit() before the
 *   call. Batches committed after the call go to the next generation's journal (never lost, never
 *   replayed twice). compact() may be called while commits are in flight.
 * - A rejected commit() means the journal can no longer promise durability (disk full, I/O error):
 *   every later commit() rejects too, and the write must not be acknowledged.
 */
import fs from 'node:fs';
import fsp, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Journal, JournalOp } from '../contracts.js';
import { acquireDirLock, type DirLock } from './dir-lock.js';
import { fsyncDir, inDir, journalName, planDir, snapshotName, tmpSnapshotName } from './file-layout.js';
import { assembleBatchRecord, encodeBatchRecord, encodeTrailerRecord, prepareOp, type PreparedOp } from './record-format.js';
import { readRecords, type BadRecord } from './record-reader.js';

/** Snapshot records hold this many ops or about this many bytes, whichever comes first. */
const SNAPSHOT_OPS_PER_RECORD = 1000;
const SNAPSHOT_BYTES_PER_RECORD = 1 << 20;

interface Pending {
  gen: number;
  bytes: Buffer;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Writer {
  gen: number;
  fh: FileHandle;
  pos: number;
  dirSynced: boolean;
  /** Opened with O_DSYNC: writes are durable when they return, no separate fdatasync. */
  dsync: boolean;
}

export interface JournalStats {
  commits: number;
  /** durable write rounds (O_DSYNC write, or write + fdatasync); with group commit far fewer than commits */
  flushes: number;
  compactions: number;
}

type State = 'new' | 'opening' | 'open' | 'closing' | 'closed' | 'failed';

export class FileJournal implements Journal {
  private state: State = 'new';
  private failure: Error | null = null;
  private lock: DirLock | null = null;
  /** Generation new commits go to; compact() moves it forward. */
  private gen = 0;
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private writer: Writer | null = null;
  /** Settles once every commit queued so far has settled. */
  private queueSettled: Promise<void> = Promise.resolve();
  private compacting: Promise<void> = Promise.resolve();
  private bytesSinceCompaction = 0;
  readonly stats: JournalStats = { commits: 0, flushes: 0, compactions: 0 };

  constructor(
    readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  // ---------------------------------------------------------------- replay

  open(): AsyncIterable<JournalOp[]> {
    if (this.state !== 'new') throw new Error(`journal ${this.dir}: open() may be called only once`);
    this.state = 'opening';
    return this.replay();
  }

  private async *replay(): AsyncGenerator<JournalOp[]> {
    let completed = false;
    try {
      const created = await fsp.mkdir(this.dir, { recursive: true });
      if (created !== undefined) await fsyncDir(path.dirname(path.resolve(this.dir)));
      this.lock = acquireDirLock(this.dir, this.log);

      const plan = await planDir(this.dir);
      if (plan.leftovers.length) {
        for (const name of plan.leftovers) await fsp.rm(inDir(this.dir, name), { force: true });
        await fsyncDir(this.dir);
        this.log(`embedded-mongo: removed leftovers of an earlier compaction in ${this.dir}: ${plan.leftovers.join(', ')}`);
      }
      if (plan.snapshotGen !== null) {
        this.gen = plan.snapshotGen;
        yield* this.replaySnapshot(plan.snapshotGen);
      }
      for (const [i, gen] of plan.journalGens.entries()) {
        this.gen = gen;
        const intact = yield* this.replayJournal(gen, plan.journalGens.slice(i + 1));
        if (!intact) break;
      }
      this.state = 'open';
      completed = true;
    } finally {
      if (!completed) {
        // Replay threw or the caller stopped iterating: the in-memory state is incomplete, so this
        // journal must not accept writes.
        this.state = 'failed';
        this.failure = new Error(`journal ${this.dir}: replay did not complete`);
        this.lock?.release();
        this.lock = null;
      }
    }
  }

  private async *replaySnapshot(gen: number): AsyncGenerator<JournalOp[]> {
    const file = inDir(this.dir, snapshotName(gen));
    const fh = await fsp.open(file, 'r');
    try {
      const size = (await fh.stat()).size;
      const records = readRecords(fh, size);
      let batches = 0;
      for (;;) {
        const next = await records.next();
        if (next.done) {
          const bad = next.value;
          // Snapshots are renamed into place only after fsync, so damage here is not a torn write
          // but lost or corrupted storage: refuse to start rather than silently lose data.
          throw new Error(
            `embedded-mongo: snapshot ${file} is ${bad ? `corrupt at offset ${bad.offset}: ${bad.reason}` : 'incomplete (no trailer)'}; ` +
              'refusing to start on partial data. Restore the data directory from a backup.',
          );
        }
        const { decoded } = next.value;
        if (decoded.kind === 'trailer') {
          if (decoded.records !== batches) {
            throw new Error(`embedded-mongo: snapshot ${file} has ${batches} records, trailer says ${decoded.records}; refusing to start.`);
          }
          return;
        }
        batches++;
        yield decoded.ops;
      }
    } finally {
      await fh.close();
    }
  }

  /** Replays one journal; on damage truncates it (and sets aside later journals). Returns false then. */
  private async *replayJournal(gen: number, laterGens: number[]): AsyncGenerator<JournalOp[], boolean> {
    const name = journalName(gen);
    const file = inDir(this.dir, name);
    const fh = await fsp.open(file, 'r+');
    try {
      const size = (await fh.stat()).size;
      const records = readRecords(fh, size);
      let bad: BadRecord | null = null;
      let good = 0;
      for (;;) {
        const next = await records.next();
        if (next.done) {
          bad = next.value;
          break;
        }
        const { decoded, offset } = next.value;
        if (decoded.kind !== 'batch') {
          bad = { offset, reason: 'snapshot trailer inside a journal', tornTail: false };
          break;
        }
        good++;
        this.bytesSinceCompaction += next.value.end - offset;
        yield decoded.ops;
      }
      if (!bad) return true;
      await this.truncateDamaged(fh, file, size, bad, good, laterGens);
      return false;
    } finally {
      await fh.close();
    }
  }

  private async truncateDamaged(fh: FileHandle, file: string, size: number, bad: BadRecord, good: number, laterGens: number[]) {
    const dropped = size - bad.offset;
    if (bad.tornTail && laterGens.length === 0) {
      this.log(
        `embedded-mongo: journal ${file}: torn tail: dropped ${dropped} bytes at offset ${bad.offset} (${bad.reason}); ` +
          `the ${good} records before it are intact. This is expected after a crash or kill during a write.`,
      );
    } else {
      // Not a cut-short write: keep the evidence, then cut the history at the damage so the state
      // stays a prefix of what was committed.
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const savedAs = `${file}.corrupt-${stamp}`;
      const copy = Buffer.alloc(dropped);
      await fh.read(copy, 0, dropped, bad.offset);
      await fsp.writeFile(savedAs, copy);
      const aside: string[] = [];
      for (const g of laterGens) {
        const later = inDir(this.dir, journalName(g));
        await fsp.rename(later, `${later}.discarded-${stamp}`);
        aside.push(path.basename(later));
      }
      this.log(
        `embedded-mongo: CORRUPTION in journal ${file} at offset ${bad.offset} (${bad.reason}), not at its tail: ` +
          `truncating there, dropping ${dropped} bytes` +
          (aside.length ? ` and ${aside.length} later journal file(s) (${aside.join(', ')}, renamed *.discarded-${stamp})` : '') +
          `; ${good} earlier records are intact. Writes after that point are LOST from this state; ` +
          `the dropped bytes are saved in ${savedAs}.`,
      );
    }
    await fh.truncate(bad.offset);
    await fh.datasync();
    await fsyncDir(this.dir);
  }

  // ---------------------------------------------------------------- group commit

  commit(batch: JournalOp[]): Promise<void> {
    if (this.state !== 'open' || this.failure) return Promise.reject(this.notWritable());
    let bytes: Buffer;
    try {
      bytes = encodeBatchRecord(batch);
    } catch (err) {
      return Promise.reject(err);
    }
    const done = new Promise<void>((resolve, reject) => {
      this.queue.push({ gen: this.gen, bytes, resolve, reject });
    });
    this.stats.commits++;
    this.bytesSinceCompaction += bytes.length;
    this.queueSettled = done.then(noop, noop);
    this.flushing ??= this.flushLoop();
    return done;
  }

  /**
   * One write + one fdatasync per round for everything queued; commits that arrive while a round is
   * on disk wait for the next round. Rounds never overlap, so the files always hold a prefix of the
   * commit order.
   */
  private async flushLoop(): Promise<void> {
    await null; // let commits issued in the same tick join the first round
    while (this.queue.length) {
      const gen = this.queue[0]!.gen;
      let n = 1;
      while (n < this.queue.length && this.queue[n]!.gen === gen) n++;
      const round = this.queue.splice(0, n);
      try {
        if (this.failure) throw this.failure;
        const w = await this.writerFor(gen);
        const data = round.length === 1 ? round[0]!.bytes : Buffer.concat(round.map((p) => p.bytes));
        await writeFully(w.fh, data, w.pos);
        if (!w.dsync) await w.fh.datasync();
        if (!w.dirSynced) {
          await fsyncDir(this.dir); // the journal file's directory entry must be durable too
          w.dirSynced = true;
        }
        w.pos += data.length;
        this.stats.flushes++;
        for (const p of round) p.resolve();
      } catch (err) {
        if (!this.failure) {
          this.failure = err as Error;
          this.log(`embedded-mongo: JOURNAL WRITE FAILED in ${this.dir}: ${(err as Error).message}; no further writes can be made durable`);
        }
        for (const p of round) p.reject(this.notWritable());
      }
    }
    this.flushing = null;
  }

  private async writerFor(gen: number): Promise<Writer> {
    if (this.writer?.gen === gen) return this.writer;
    if (this.writer) await this.writer.fh.close(); // everything in it is already fsynced
    this.writer = null;
    // With O_DSYNC each write returns only once its data is on stable storage: the same guarantee as
    // write + fdatasync, in one system call and one thread-pool round trip instead of two.
    const dsync = fs.constants.O_DSYNC ?? 0;
    const fh = await fsp.open(inDir(this.dir, journalName(gen)), fs.constants.O_RDWR | fs.constants.O_CREAT | dsync);
    const pos = (await fh.stat()).size;
    this.writer = { gen, fh, pos, dirSynced: false, dsync: dsync !== 0 };
    return this.writer;
  }

  private notWritable(): Error {
    if (this.failure) return new Error(`journal ${this.dir} is not writable: ${this.failure.message}`);
    if (this.state === 'new' || this.state === 'opening') return new Error(`journal ${this.dir}: commit before open() replay finished`);
    return new Error(`journal ${this.dir} is closed`);
  }

  // ---------------------------------------------------------------- compaction

  sizeSinceCompaction(): number {
    return this.bytesSinceCompaction;
  }

  compact(state: () => Iterable<JournalOp>): Promise<void> {
    if (this.state !== 'open') return Promise.reject(this.notWritable());
    // The cut. Everything committed before this line is in journal-<gen> and in the state; from here
    // on commits go to journal-<gen+1>, which the snapshot for gen+1 will precede.
    // state() is consumed right here, synchronously, so no commit can slip in between the state and
    // the cut. Only references to document bytes are taken now; the records are built and written
    // later, a piece at a time, without blocking the server.
    let chunks: PreparedOp[][];
    try {
      chunks = prepareState(state());
    } catch (err) {
      return Promise.reject(err);
    }
    const gen = ++this.gen;
    const oldCommitsSettled = this.queueSettled;
    this.bytesSinceCompaction = 0;
    const previous = this.compacting;
    const run = (async () => {
      await previous;
      await this.writeSnapshot(gen, chunks);
      chunks = [];
      // Delete the superseded generations only once nothing is being written to them any more.
      await oldCommitsSettled;
      const plan = await planDir(this.dir);
      for (const name of plan.leftovers) {
        if (!name.endsWith('.tmp')) await fsp.rm(inDir(this.dir, name), { force: true });
      }
      await fsyncDir(this.dir);
      this.stats.compactions++;
    })();
    this.compacting = run.then(noop, (err) => {
      this.log(`embedded-mongo: compaction to generation ${gen} failed (${(err as Error).message}); the journal still holds everything`);
    });
    return run;
  }

  private async writeSnapshot(gen: number, chunks: PreparedOp[][]): Promise<void> {
    const tmp = inDir(this.dir, tmpSnapshotName(gen));
    const fh = await fsp.open(tmp, 'w');
    try {
      let pos = 0;
      for (const chunk of chunks) {
        const record = assembleBatchRecord(chunk);
        await writeFully(fh, record, pos);
        pos += record.length;
      }
      await writeFully(fh, encodeTrailerRecord(chunks.length), pos);
      await fh.datasync();
    } catch (err) {
      await fh.close().catch(noop);
      await fsp.rm(tmp, { force: true });
      throw err;
    }
    await fh.close();
    await fsp.rename(tmp, inDir(this.dir, snapshotName(gen)));
    await fsyncDir(this.dir);
  }

  // ---------------------------------------------------------------- close

  async close(): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing') return;
    this.state = 'closing';
    while (this.flushing) await this.flushing;
    await this.compacting;
    // (After a write failure the handle may already be unusable; closing must still release the lock.)
    if (this.writer) await this.writer.fh.close().catch(noop);
    this.writer = null;
    this.lock?.release();
    this.lock = null;
    this.state = 'closed';
  }
}

/** Splits the full state into snapshot records' worth of prepared ops, synchronously. */
function prepareState(ops: Iterable<JournalOp>): PreparedOp[][] {
  const chunks: PreparedOp[][] = [];
  let chunk: PreparedOp[] = [];
  let chunkBytes = 0;
  for (const op of ops) {
    const prepared = prepareOp(op);
    chunk.push(prepared);
    chunkBytes += prepared.size;
    if (chunk.length >= SNAPSHOT_OPS_PER_RECORD || chunkBytes >= SNAPSHOT_BYTES_PER_RECORD) {
      chunks.push(chunk);
      chunk = [];
      chunkBytes = 0;
    }
  }
  if (chunk.length) chunks.push(chunk);
  return chunks;
}

async function writeFully(fh: FileHandle, data: Buffer, position: number | null): Promise<void> {
  let off = 0;
  while (off < data.length) {
    const { bytesWritten } = await fh.write(data, off, data.length - off, position === null ? null : position + off);
    off += bytesWritten;
  }
}

function noop() {}
