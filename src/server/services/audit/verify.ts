import type { Model } from 'mongoose';
import { platformModels } from '../../db/models/platform';
import { tenantModels } from '../../tenancy/connections';
import { entryHash } from './writer';

/**
 * Walks a chain in seq order and recomputes every hash. The first entry whose seq, prevHash or hash
 * does not follow from the one before is the first broken link: an edited, inserted or removed entry
 * shows up there (a removed last entry is only detectable against an external copy of the head).
 */
export interface ChainReport {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  broken?: { seq: number; reason: string };
}

const GENESIS = '0'.repeat(64);
const HASHED_OUT = new Set(['_id', 'hash']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- both audit models share the entry shape
export async function verifyChain(model: Model<any>): Promise<ChainReport> {
  let prev = { seq: 0, hash: GENESIS };
  let checked = 0;
  for await (const doc of model.find().sort({ seq: 1 }).lean().cursor()) {
    const entry = Object.fromEntries(Object.entries(doc as Record<string, unknown>).filter(([k]) => !HASHED_OUT.has(k)));
    const seq = entry.seq as number;
    const fail = (reason: string): ChainReport => ({ ok: false, checked, head: prev.seq ? prev : null, broken: { seq, reason } });
    if (seq !== prev.seq + 1) return fail(`expected seq ${prev.seq + 1}, found ${seq} (entry missing or inserted)`);
    if (entry.prevHash !== prev.hash) return fail('prevHash does not match the previous entry');
    const hash = entryHash(prev.hash, entry);
    if (hash !== (doc as { hash?: string }).hash) return fail('content does not match its hash (entry was modified)');
    prev = { seq, hash };
    checked++;
  }
  return { ok: true, checked, head: prev.seq ? prev : null };
}

export function verifyAuditChain(target: string): Promise<ChainReport> {
  return verifyChain(target === 'platform' ? platformModels().PlatformAuditLog : tenantModels(target).AuditLog);
}
