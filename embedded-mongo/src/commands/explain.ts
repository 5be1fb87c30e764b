/**
 * A minimal explain: which index the planner chose and how much it examined.
 */
import type { Document } from 'bson';
import { Codes, MongoError } from '../errors.js';
import { findMatches } from '../engine/query.js';
import type { Ctx, Handler } from './context.js';

const explain: Handler = (ctx: Ctx) => {
  const inner = ctx.cmd.explain as Document;
  const verb = Object.keys(inner ?? {})[0]?.toLowerCase();
  const name = String(inner?.[Object.keys(inner ?? {})[0] ?? ''] ?? '');
  let filter: Document = {};
  let sort: Document | undefined;
  let limit: number | undefined;
  if (verb === 'find') { filter = (inner.filter ?? {}) as Document; sort = inner.sort as Document; limit = inner.limit ? Number(inner.limit) : undefined; }
  else if (verb === 'count' || verb === 'distinct') filter = (inner.query ?? {}) as Document;
  else if (verb === 'aggregate') filter = (((inner.pipeline as Document[])?.[0]?.$match) ?? {}) as Document;
  else if (verb === 'findandmodify') filter = (inner.query ?? {}) as Document;
  else if (verb === 'update' || verb === 'delete') filter = ((((inner.updates ?? inner.deletes) as Document[])?.[0]?.q) ?? {}) as Document;
  else throw new MongoError(Codes.CommandNotFound, 'CommandNotFound', `explain of '${verb}' is not supported`);
  const coll = ctx.server.catalog.getColl(ctx.db, name);
  const started = Date.now();
  const r = findMatches(ctx.store, coll, { filter, sort, limit, hint: inner.hint, collation: inner.collation as never });
  const spec = r.plan.indexName ? coll?.indexes.list().find((s) => s.name === r.plan.indexName) : undefined;
  const scan = r.plan.indexName
    ? { stage: 'IXSCAN', indexName: r.plan.indexName, keyPattern: spec?.key ?? { _id: 1 }, isMultiKey: false, direction: 'forward' }
    : { stage: 'COLLSCAN', direction: 'forward' };
  const winningPlan = r.plan.indexName ? { ...scan, inputStage: scan } : scan;
  return {
    queryPlanner: { namespace: `${ctx.db}.${name}`, parsedQuery: filter, winningPlan, rejectedPlans: [], plannerVersion: 1 },
    executionStats: {
      executionSuccess: true,
      nReturned: r.matches.length,
      executionTimeMillis: Date.now() - started,
      totalKeysExamined: r.plan.keysExamined ?? (r.plan.indexName ? r.docsExamined : 0),
      totalDocsExamined: r.docsExamined,
      executionStages: { ...winningPlan, nReturned: r.matches.length, docsExamined: r.docsExamined },
    },
    command: inner,
    serverInfo: { host: ctx.server.host, port: ctx.server.port, version: '7.0.0' },
    ok: 1,
  };
};

export const explainHandlers: Record<string, Handler> = { explain };
