import { createMongoAbility, subject as caslSubject, type MongoAbility } from '@casl/ability';
import { packRules, type PackRule } from '@casl/ability/extra';
import { AppError } from '../errors';
import { resolveRule, type RuleContext } from './interpolate';
import type { Role, StoredRule } from './rules';
import type { Action, Subject } from './vocabulary';

export type AppAbility = MongoAbility<[Action, Subject | (Record<string, unknown> & { __caslSubjectType__?: string })]>;

export interface AbilityUser extends RuleContext {
  role: string;
}

export function findRole(roles: readonly Role[], name: string): Role {
  const role = roles.find((r) => r.name === name);
  // Decision 7: an unknown role is an error, never an empty ability.
  if (!role) throw new AppError('FORBIDDEN', `Role "${name}" does not exist in this organisation`);
  return role;
}

export function rulesFor(roles: readonly Role[], user: AbilityUser): StoredRule[] {
  return findRole(roles, user.role).permissions.map((rule) => resolveRule(rule, user));
}

export function buildAbility(roles: readonly Role[], user: AbilityUser): AppAbility {
  return createMongoAbility(rulesFor(roles, user) as never) as AppAbility;
}

/**
 * Decision 8: a channel-level role (ChannelMembership.role) overrides the organisation role for
 * actions on that channel and its messages. Channel-scoped checks use this ability.
 */
export function buildChannelAbility(roles: readonly Role[], user: AbilityUser, channelRole: string | null | undefined): AppAbility {
  return buildAbility(roles, channelRole ? { ...user, role: channelRole } : user);
}

/** Rules for the browser: packed, with placeholders already resolved for this user. */
export function packedRulesFor(roles: readonly Role[], user: AbilityUser): PackRule<never>[] {
  return packRules(rulesFor(roles, user) as never);
}

/**
 * Own-resource checks use CASL's subject() on the document itself (decision 2). Ids are compared as
 * strings: ObjectIds and other id objects are turned into their hex/string form first.
 */
export function asSubject<T extends Record<string, unknown>>(type: Subject, doc: T): T {
  return caslSubject(type, normaliseIds(doc) as T);
}

function normaliseIds(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(normaliseIds);
  const bsonType = (value as { _bsontype?: string })._bsontype;
  if (bsonType === 'ObjectId' || bsonType === 'ObjectID') return String(value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseIds(v)]));
}
