/**
 * mingo operator contexts. mingo's own `Query`/`Aggregator` merge user operators *under* the
 * built-ins, so overrides are ignored; we build complete contexts and use the base classes.
 *   typedContext: filters over typed documents (BSON-aware comparison operators)
 *   viewContext:  aggregation over numeric views (exact `$sum`, `$add`, `$subtract`, `$multiply`
 *                 for int64 / Decimal128, typed variants for the last computing stage)
 */
import { Context } from 'mingo';
import { Query as BaseQuery } from 'mingo/query';
import { Aggregator as BaseAggregator } from 'mingo/aggregator';
import * as accumulator from 'mingo/operators/accumulator';
import * as expression from 'mingo/operators/expression';
import * as pipeline from 'mingo/operators/pipeline';
import * as projection from 'mingo/operators/projection';
import * as query from 'mingo/operators/query';
import * as window from 'mingo/operators/window';
import type { Document } from 'bson';
import type { Collation } from '../contracts.js';
import { typedQueryOps } from './query-ops.js';
import { exactSum } from './exact-sum.js';
import { typedTypeExpr } from './origins.js';
import { bsonSort, groupKeyExpr } from './agg-stages.js';
import { exactArithmeticOps } from './typed-arithmetic.js';

const base = { expression, pipeline, projection, window } as Record<string, unknown>;

export const typedContext = Context.init({ ...base, accumulator, query: { ...query, ...typedQueryOps } } as never);
export const viewContext = Context.init({
  ...base,
  pipeline: { ...pipeline, $sort: bsonSort },
  expression: { ...expression, ...exactArithmeticOps, $type: typedTypeExpr, $__key: groupKeyExpr },
  accumulator: { ...accumulator, $sum: exactSum },
  query,
} as never);

export function typedQuery(filter: Document, collation?: Collation): BaseQuery {
  return new BaseQuery(filter, { context: typedContext, ...(collation ? { collation } : {}) } as never);
}

export function viewAggregator(stages: Document[], opts: Document): BaseAggregator {
  return new BaseAggregator(stages, { ...opts, context: viewContext } as never);
}
