import { LRUCache } from 'lru-cache';
import type { Types } from 'mongoose';
import { tenantModels } from '../../tenancy/connections';
import type { InboundMessage } from './events';

/**
 * Customer identity: one identity per channel account (`<channel>|<externalId>`, unique). A first
 * message from an unknown account joins the customer already known by the same phone number (the
 * same person on WhatsApp, SMS and Twilio WhatsApp) or email (web chat), else creates one.
 */
export const identityKey = (channel: string, externalId: string) => `${channel}|${externalId}`;

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/**
 * Identities never move between customers (a merge adds keys, it never takes one away), so the
 * worker remembers which customer an identity belongs to and skips the lookup for the following
 * messages. The entry expires after SEEN_REFRESH_MS: the next message then goes through the
 * database again, which both re-checks the customer and moves `lastSeenAt` (precise to a minute).
 */
const SEEN_REFRESH_MS = 60_000;
const known = new LRUCache<string, { _id: Types.ObjectId }>({ max: 50_000, ttl: SEEN_REFRESH_MS });

export async function customerForInbound(slug: string, inboxId: string, channel: string, from: InboundMessage['from']) {
  const cacheKey = `${slug}|${identityKey(channel, from.externalId)}`;
  const hit = known.get(cacheKey);
  if (hit) return { customer: hit, created: false };
  const found = await findOrCreateCustomer(slug, inboxId, channel, from);
  known.set(cacheKey, { _id: found.customer._id });
  return found;
}

/** Tests that delete customers behind the worker's back start from a clean cache. */
export function forgetCustomers(): void {
  known.clear();
}

export async function findOrCreateCustomer(slug: string, inboxId: string, channel: string, from: InboundMessage['from']) {
  const { Customer } = tenantModels(slug);
  const key = identityKey(channel, from.externalId);
  const now = new Date();
  const existing = await Customer.findOneAndUpdate(
    { identityKeys: { $eq: key } },
    { $set: { lastSeenAt: now } },
    { returnDocument: 'after' },
  ).lean();
  if (existing) return { customer: existing, created: false };

  const identity = { channel, externalId: from.externalId, inboxId };
  const match = from.phone ? { phone: { $eq: from.phone } } : from.email ? { email: { $eq: from.email.toLowerCase() } } : null;
  if (match) {
    const merged = await Customer.findOneAndUpdate(
      { ...match, mergedInto: { $exists: false } },
      { $addToSet: { identityKeys: key, identities: identity }, $set: { lastSeenAt: now } },
      { returnDocument: 'after', sort: { createdAt: 1 } },
    )
      .lean()
      .catch((err: unknown) => (isDuplicateKey(err) ? null : Promise.reject(err)));
    if (merged) return { customer: merged, created: false };
  }
  try {
    const doc = await Customer.create({
      name: from.name,
      phone: from.phone,
      email: from.email,
      identities: [identity],
      identityKeys: [key],
      lastSeenAt: now,
    });
    return { customer: doc.toObject(), created: true };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // A concurrent job created the same identity first: use theirs.
    const winner = await Customer.findOne({ identityKeys: { $eq: key } }).lean();
    if (!winner) throw err;
    return { customer: winner, created: false };
  }
}
