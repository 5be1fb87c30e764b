import { tenantModels } from '../../tenancy/connections';
import type { InboundMessage } from './events';

/**
 * Customer identity: one identity per channel account (`<channel>|<externalId>`, unique). A first
 * message from an unknown account joins the customer already known by the same phone number (the
 * same person on WhatsApp, SMS and Twilio WhatsApp) or email (web chat), else creates one.
 */
export const identityKey = (channel: string, externalId: string) => `${channel}|${externalId}`;

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

export async function findOrCreateCustomer(slug: string, inboxId: string, channel: string, from: InboundMessage['from']) {
  const { Customer } = tenantModels(slug);
  const key = identityKey(channel, from.externalId);
  const now = new Date();
  const known = await Customer.findOneAndUpdate(
    { identityKeys: { $eq: key } },
    { $set: { lastSeenAt: now } },
    { returnDocument: 'after' },
  ).lean();
  if (known) return { customer: known, created: false };

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
