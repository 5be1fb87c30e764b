import { LRUCache } from 'lru-cache';
import { Types } from 'mongoose';
import { tenantModels } from '../tenancy/connections';
import { onOrgConfigUpdated, revokedUserOf } from './revocation-events';

/**
 * What a session check needs to know about a user, cached per process. Entries are dropped at once
 * by a revocation event (any process), by a "drop everything" resync, and otherwise live a minute,
 * so the per-request cost of a warm check is one map lookup.
 */
export interface UserState {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  teamIds: string[];
  branchId: string | null;
  validAfterMs: number;
}

const users = new LRUCache<string, { value: UserState | null }>({ max: 20_000, ttl: 60_000 });
let generation = 0;
let subscribed = false;

function subscribe() {
  if (subscribed) return;
  subscribed = true;
  onOrgConfigUpdated((event) => {
    generation++;
    const userId = revokedUserOf(event);
    if (userId) users.delete(`${event.slug}:${userId}`);
    else if (event.slug === '*') users.clear();
  });
}

export async function loadUserState(slug: string, userId: string): Promise<UserState | null> {
  subscribe();
  const key = `${slug}:${userId}`;
  const hit = users.get(key);
  if (hit) return hit.value;
  if (!Types.ObjectId.isValid(userId)) return null;
  const gen = generation;
  const doc = await tenantModels(slug)
    .User.findOne({ _id: { $eq: new Types.ObjectId(userId) } })
    .select({ email: 1, displayName: 1, role: 1, status: 1, teamIds: 1, branchId: 1, sessionsValidAfter: 1 })
    .lean();
  const value: UserState | null = doc
    ? {
        id: String(doc._id),
        email: doc.email,
        name: doc.displayName,
        role: doc.role,
        status: doc.status ?? 'invited',
        teamIds: (doc.teamIds ?? []).map(String),
        branchId: doc.branchId ? String(doc.branchId) : null,
        validAfterMs: doc.sessionsValidAfter ? doc.sessionsValidAfter.getTime() : 0,
      }
    : null;
  // A revocation that arrived while we read must not be overwritten by what we read before it.
  if (gen === generation) users.set(key, { value });
  return value;
}

/** A session issued at `issuedAtMs` is still good for this user. */
export function sessionStillValid(state: UserState | null, issuedAtMs: number): state is UserState {
  return !!state && state.status === 'active' && issuedAtMs > state.validAfterMs;
}

export function forgetUserState(slug: string, userId: string): void {
  users.delete(`${slug}:${userId}`);
}
