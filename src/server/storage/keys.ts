import { AppError } from '../errors';

/**
 * Object keys are namespaced per organisation: `orgs/<slug>/...`. Every read and write checks that
 * the key lies in the caller's namespace, so even with a shared platform bucket one organisation can
 * never reach another's objects, whatever key it manages to name.
 */
const SLUG_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SEGMENT_RE = /^[A-Za-z0-9._-]{1,128}$/;

export function orgPrefix(slug: string): string {
  if (!SLUG_RE.test(slug)) throw new AppError('BAD_REQUEST', `Invalid organisation slug "${slug}"`);
  return `orgs/${slug}/`;
}

/** `orgs/<slug>/<segment>/<segment>...`; segments are ids we generate, never user text. */
export function orgKey(slug: string, ...segments: string[]): string {
  for (const s of segments) {
    if (!SEGMENT_RE.test(s) || s === '.' || s === '..') throw new AppError('BAD_REQUEST', `Invalid object key segment "${s}"`);
  }
  return orgPrefix(slug) + segments.join('/');
}

/** True when `key` is a well-formed key of this organisation's namespace. */
export function isOrgKey(slug: string, key: string): boolean {
  const prefix = orgPrefix(slug);
  if (!key.startsWith(prefix)) return false;
  const rest = key.slice(prefix.length).split('/');
  return rest.length > 0 && rest.every((s) => SEGMENT_RE.test(s) && s !== '.' && s !== '..');
}

/** Where a conversation message's attachment is kept (deterministic: a retried download overwrites it). */
export function mediaKey(slug: string, conversationId: string, messageId: string, index: number): string {
  return orgKey(slug, 'media', conversationId, messageId, String(index));
}
