import { createHash } from 'node:crypto';
import type { Model } from 'mongoose';
import { platformModels } from '../../db/models/platform';
import { tenantModels } from '../../tenancy/connections';
import { redact } from './redact';

/**
 * Append-only audit writer for the platform log and each organisation's log. Each entry gets the
 * next `seq` (unique index: concurrent writers retry) and `hash = sha256(prevHash + canonical entry)`,
 * so a chain can be verified and tampering detected (the identity issue adds the verify command).
 */
export interface AuditInput {
  action: string;
  actorType: 'user' | 'superadmin' | 'system';
  actorId?: string;
  actorEmail?: string;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
  ipAddress?: string;
  userAgent?: string;
}
export type AuditScope = { scope: 'platform'; orgSlug?: string } | { scope: 'org'; slug: string };

/** Stable JSON: sorted keys, so the hash does not depend on property order. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function entryHash(prevHash: string, entry: Record<string, unknown>): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(entry)).digest('hex');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any document shape: these helpers only route models
type AnyModel = Model<any>;

const GENESIS = '0'.repeat(64);

async function append(model: AnyModel, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const last = await model.findOne().sort({ seq: -1 }).select({ seq: 1, hash: 1 }).lean<{ seq: number; hash?: string }>();
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS;
    const entry = { ...fields, seq, timestamp: new Date(), prevHash };
    const doc = { ...entry, hash: entryHash(prevHash, entry) };
    try {
      await model.create(doc);
      return doc;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err; // another writer took this seq
    }
  }
  throw new Error('audit: could not append after 20 attempts');
}

// Appends from one process are queued per log, so they do not race each other for the same seq
// (the unique index and retry still handle other processes).
const tails = new Map<string, Promise<unknown>>();

function queued<T>(key: string, task: () => Promise<T>): Promise<T> {
  const run = (tails.get(key) ?? Promise.resolve()).then(task, task);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  void tail.then(() => tails.get(key) === tail && tails.delete(key));
  return run;
}

export function writeAudit(where: AuditScope, input: AuditInput): Promise<Record<string, unknown>> {
  const fields: Record<string, unknown> = { ...input, details: redact(input.details) };
  if (where.scope === 'platform') {
    return queued('platform', () => append(platformModels().PlatformAuditLog, { ...fields, orgSlug: where.orgSlug }));
  }
  return queued(`org:${where.slug}`, () => append(tenantModels(where.slug).AuditLog as AnyModel, fields));
}
