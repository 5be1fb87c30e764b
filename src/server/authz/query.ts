import { accessibleBy } from '@casl/mongoose';
import type { AppAbility } from './ability';
import type { Action, Subject } from './vocabulary';

/**
 * The MongoDB filter for "documents of this type the user may <action>", combined with a caller's
 * own filter by `$and` (decision 3: never by object spread, which would let one side overwrite the
 * other's keys). Without any permission @casl/mongoose returns an impossible `$expr`, so the result
 * is empty rather than an exception.
 *
 * `userFilter` must already be validated (strict zod schemas, no `$` keys from user input).
 */
export function scopedFilter(ability: AppAbility, action: Action, type: Subject, userFilter: Record<string, unknown> = {}): Record<string, unknown> {
  const allowed = accessibleBy(ability as never, action as never).ofType(type as never);
  if (Object.keys(userFilter).length === 0) return allowed;
  return { $and: [allowed, userFilter] };
}
