/**
 * Contracts between the parts of the embedded server. Each part is owned by one module folder:
 *
 *   src/wire/       framing, OP_MSG / OP_QUERY / OP_REPLY, connection handling
 *   src/commands/   one file per command family, dispatched by name
 *   src/engine/     catalog (databases, collections), record store, write path, cursors,
 *                   transactions, change-stream oplog, TTL monitor
 *   src/indexes/    index structures, key extraction, planner, text search   (implements IndexSet)
 *   src/journal/    durability: append, group commit, replay, compaction     (implements Journal)
 *   src/bson-order.ts  BSON comparison order and equality keys, shared by sorts and indexes
 *
 * Documents are plain objects as produced by the `bson` package's deserialize with
 * `{ promoteValues: false, promoteLongs: false, promoteBuffers: false }` semantics where the BSON type
 * must survive (Int32, Double, Long, Decimal128, ObjectId, Binary, Timestamp ... keep their classes).
 */
import type { Document } from 'bson';

/** Internal, never reused identifier of a stored record inside one collection. */
export type RecordId = number;

export interface Collation {
  locale: string;
  strength?: number; // 1: base letters only, 2: + accents, 3 (default): + case
  caseLevel?: boolean;
  numericOrdering?: boolean;
}

export type IndexKeySpec = Record<string, 1 | -1 | 'text' | '2dsphere' | 'hashed'>;

export interface IndexSpec {
  v?: number;
  name: string;
  key: IndexKeySpec;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
  collation?: Collation;
  /** text index options */
  weights?: Record<string, number>;
  default_language?: string;
  language_override?: string;
  textIndexVersion?: number;
  [option: string]: unknown;
}

/** What the planner tells the engine about how to find candidates for a query. */
export interface Plan {
  /** Name of the index used, or null for a collection scan. */
  indexName: string | null;
  /**
   * Candidate record ids. A superset of the matching records (the engine always re-checks the full
   * filter), or null meaning "scan everything".
   */
  candidates: Iterable<RecordId> | null;
  /** True when candidates are already in the order the requested sort asks for. */
  providesSort: boolean;
  /** Human-readable summary for explain: e.g. IXSCAN { a: 1 } or COLLSCAN. */
  stage: string;
  /** Number of index keys examined (for explain), if known. */
  keysExamined?: number;
}

export interface PlanRequest {
  filter: Document;
  sort?: Document;
  hint?: string | Document;
  collation?: Collation;
  /** Upper bound the engine needs (skip + limit) when a sorted index can stop early. */
  limit?: number;
}

/**
 * All indexes of one collection. The engine owns the records; the index set only maps keys to
 * record ids. Every mutating call is all-or-nothing: on a duplicate key nothing changes.
 */
export interface IndexSet {
  list(): IndexSpec[];
  /** Build a new index over existing records. Throws MongoError 11000 on a unique violation,
   *  85/86 (IndexOptionsConflict / IndexKeySpecsConflict) on a conflicting definition. */
  create(spec: IndexSpec, records: Iterable<[RecordId, Document]>): void;
  drop(name: string): void;
  /** Throws MongoError 11000 (with keyPattern and keyValue) if inserting would violate uniqueness. */
  insert(id: RecordId, doc: Document): void;
  update(id: RecordId, before: Document, after: Document): void;
  remove(id: RecordId, doc: Document): void;
  /** Check only; used by transactions before commit and by updates before applying. */
  checkUnique(id: RecordId | null, doc: Document, ignore?: RecordId[]): void;
  plan(req: PlanRequest): Plan;
  /** $text: scores by record id for the collection's text index; throws code 27 without one. */
  textSearch(search: { $search: string; $language?: string; $caseSensitive?: boolean; $diacriticSensitive?: boolean }): Map<RecordId, number>;
  /** Top-level fields (with `_id`) every index reads, or null when one may read any field
   *  (text, wildcard, partial filter): inserts then decode only these fields. */
  keyFields?(): ReadonlySet<string> | null;
  /** Record holding this `_id` (through the `_id_` index: the engine keeps no second map). */
  idLookup(id: unknown): RecordId | undefined;
  /** Records whose TTL index date is older than now - expireAfterSeconds. */
  expired(now: Date): RecordId[];
}

export type IndexSetFactory = (collectionNs: string) => IndexSet;

/** One durable operation. A batch passed to Journal.commit is atomic on replay. */
export type JournalOp =
  | { op: 'createCollection'; db: string; coll: string; options: Document }
  | { op: 'dropCollection'; db: string; coll: string }
  | { op: 'dropDatabase'; db: string }
  | { op: 'renameCollection'; fromDb: string; fromColl: string; toDb: string; toColl: string }
  | { op: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string }
  | { op: 'collMod'; db: string; coll: string; options: Document }
  /** Full document after the write (insert, update or replace), BSON-encoded. */
  | { op: 'put'; db: string; coll: string; doc: Uint8Array }
  /** BSON-encoded { _id } of the removed document. */
  | { op: 'delete'; db: string; coll: string; id: Uint8Array };

export interface Journal {
  /** Opens (creating if needed) the data directory and yields every durable batch in order.
   *  A torn or corrupt tail is truncated with one clear log line, never thrown. */
  open(): AsyncIterable<JournalOp[]>;
  /** Resolves once the batch is on stable storage (fsync). Concurrent calls share one fsync. */
  commit(batch: JournalOp[]): Promise<void>;
  /** Replace the journal with the given full state (ops that recreate it), atomically. */
  compact(state: () => Iterable<JournalOp>): Promise<void>;
  /** Bytes appended since the last compaction, so the engine can decide when to compact. */
  sizeSinceCompaction(): number;
  close(): Promise<void>;
}

export interface StartOptions {
  port?: number; // 0 or undefined: a free port
  host?: string; // default 127.0.0.1
  dataDir?: string; // undefined: in memory only
  replSetName?: string; // default 'rs0'
  log?: (line: string) => void;
}

export interface EmbeddedMongo {
  uri: string; // mongodb://127.0.0.1:PORT/?replicaSet=rs0 (directConnection is not needed)
  port: number;
  stop(): Promise<void>;
}
