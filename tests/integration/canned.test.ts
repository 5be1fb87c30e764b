import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeEmitter } from '@/server/realtime/emit';
import { closeQueues } from '@/server/queues';
import { tenantModels } from '@/server/tenancy/connections';
import { isolateRedisPrefix } from '../helpers/prefix';
import { authzOrg, outcome, type AuthzOrg } from './authz-fixture';
import { startTenancy, stopTenancy } from './tenancy-helpers';

/** Canned responses through the real procedures: admins edit the list, every agent reads it. */
isolateRedisPrefix('canned');
let a: AuthzOrg;
let b: AuthzOrg;
beforeAll(async () => {
  await startTenancy();
  [a, b] = await Promise.all([authzOrg('cna'), authzOrg('cnb')]);
});
afterAll(async () => {
  await closeQueues();
  await closeEmitter();
  await stopTenancy();
});

const items = [
  { shortcut: 'thanks', text: 'Thank you for your patience!' },
  { shortcut: 'hours', text: 'We are open 9:00-18:00, Monday to Friday.' },
];

describe('canned responses', () => {
  it('are saved by admins, sorted, audited, and read by agents of that organisation only', async () => {
    expect(await a.caller('Admin').workspace.saveCanned({ items })).toEqual([items[1], items[0]]);
    expect(await a.caller('Agent').workspace.canned({})).toEqual([items[1], items[0]]);
    expect(await b.caller('Agent').workspace.canned({})).toEqual([]);
    const log = await tenantModels(a.slug).AuditLog.find({ action: 'canned.saved' }).lean();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ actorId: a.users.Admin!.id, details: { before: [], after: [items[1], items[0]] } });
  });

  it('are not editable by agents or team leads', async () => {
    for (const role of ['Agent', 'Team Lead', 'Member'])
      expect(await outcome(a.caller(role).workspace.saveCanned({ items: [] })), role).toBe('FORBIDDEN');
    expect(await a.caller('Agent').workspace.canned({})).toHaveLength(2);
  });

  it('refuse bad input with the reason in words and change nothing', async () => {
    const refusals: Array<[unknown[], RegExp]> = [
      [[{ shortcut: 'Hello World', text: 'x' }], /lowercase letters, digits and dashes/],
      [[{ shortcut: 'hi', text: '   ' }], /text is empty/],
      [[{ shortcut: 'hi', text: 'a' }, { shortcut: 'hi', text: 'b' }], /\/hi is used twice/],
    ];
    for (const [list, message] of refusals) {
      const err = await a.caller('Admin').workspace.saveCanned({ items: list } as never).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BAD_REQUEST' });
      const issues = (err as { cause?: { issues?: Array<{ message: string }> } }).cause?.issues ?? [];
      expect(issues.map((i) => i.message).join(' | ')).toMatch(message);
    }
    expect(await outcome(a.caller('Admin').workspace.saveCanned({ items: [{ shortcut: 'x', text: 'y', $set: 1 }] } as never))).toBe(
      'BAD_REQUEST',
    );
    expect(await a.caller('Agent').workspace.canned({})).toEqual([items[1], items[0]]);
  });
});
