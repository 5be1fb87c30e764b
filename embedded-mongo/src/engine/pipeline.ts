/**
 * Aggregation pipelines in mingo, with MongoDB's behaviour where mingo differs: `$count` and
 * `$bucket` rewritten into their `$group` definitions, unknown stages rejected up front (40324),
 * unknown expressions reported as 168, `$sum` exact over int64 / Decimal128, and the last stage's
 * arithmetic typed like MongoDB's (typed-arithmetic.ts).
 */
import type { Document } from 'bson';
import { viewAggregator } from './mingo-context.js';
import { typeFinalArithmetic } from './typed-arithmetic.js';
import { Codes, MongoError } from '../errors.js';

const STAGES = new Set(['$addFields', '$bucket', '$bucketAuto', '$count', '$densify', '$documents', '$facet', '$fill', '$graphLookup', '$group', '$limit', '$lookup', '$match', '$project', '$redact', '$replaceRoot', '$replaceWith', '$sample', '$set', '$setWindowFields', '$skip', '$sort', '$sortByCount', '$unionWith', '$unset', '$unwind']);


function bucketToGroup(spec: Document): Document[] {
  const by = spec.groupBy;
  const bounds = spec.boundaries as unknown[];
  const branches = bounds.slice(0, -1).map((lo, i) => ({ case: { $and: [{ $gte: [by, lo] }, { $lt: [by, bounds[i + 1]] }] }, then: lo }));
  const sw: Document = { branches };
  if (spec.default !== undefined) sw.default = spec.default;
  const output = (spec.output as Document | undefined) ?? { count: { $sum: 1 } };
  return [{ $group: { _id: { $switch: sw }, ...output } }, { $sort: { _id: 1 } }];
}

/** Rewrites stages mingo gets wrong, recursively into $facet / $lookup / $unionWith pipelines. */
export function rewritePipeline(stages: Document[]): Document[] {
  const out: Document[] = [];
  for (const st of stages) {
    const name = Object.keys(st)[0] ?? '';
    if (Object.keys(st).length !== 1) throw new MongoError(Codes.Location40324 - 1, 'Location40323', 'A pipeline stage specification object must contain exactly one field.');
    if (!STAGES.has(name)) throw new MongoError(Codes.Location40324, 'Location40324', `Unrecognized pipeline stage name: '${name}'`);
    const arg = st[name];
    if (name === '$count') out.push({ $group: { _id: null, [String(arg)]: { $sum: 1 } } }, { $project: { _id: 0 } });
    else if (name === '$bucket') out.push(...bucketToGroup(arg as Document));
    else if (name === '$group') out.push({ $group: { ...(arg as Document), _id: { $__key: (arg as Document)._id ?? null } } });
    else if (name === '$facet') out.push({ $facet: Object.fromEntries(Object.entries(arg as Document).map(([k, p]) => [k, rewritePipeline(p as Document[])])) });
    else if (name === '$lookup' && Array.isArray((arg as Document).pipeline)) out.push({ $lookup: { ...(arg as Document), pipeline: rewritePipeline((arg as Document).pipeline as Document[]) } });
    else out.push(st);
  }
  return out;
}

export function pipelineError(e: unknown): MongoError {
  if (e instanceof MongoError) return e;
  const msg = (e as Error).message ?? String(e);
  let m = /unregistered pipeline operator:? '?(\$\w+)/i.exec(msg);
  if (m) return new MongoError(Codes.Location40324, 'Location40324', `Unrecognized pipeline stage name: '${m[1]}'`);
  m = /(?:accumulator|operator|expression) '?(\$\w+)'? is not registered/i.exec(msg) ?? /unknown (?:expression )?operator:? '?(\$\w+)/i.exec(msg);
  if (m) return new MongoError(168, 'InvalidPipelineOperator', `Unrecognized expression '${m[1]}'`);
  return new MongoError(Codes.BadValue, 'BadValue', msg);
}

export function runAggregation(source: Document[], stages: Document[], opts: Document): Document[] {
  try {
    return viewAggregator(typeFinalArithmetic(rewritePipeline(stages)), opts).run(source) as Document[];
  } catch (e) {
    throw pipelineError(e);
  }
}
