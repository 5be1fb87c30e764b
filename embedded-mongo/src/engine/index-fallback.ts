/**
 * TEMPORARY stand-in IndexSet (full scans, specs only) until src/indexes/ lands.
 * Uniqueness of `_id` is enforced by the collection itself.
 */
import type { IndexSet, IndexSpec, Plan, RecordId } from '../contracts.js';
import { MongoError, Codes } from '../errors.js';

export function createFallbackIndexSet(): IndexSet {
  const specs = new Map<string, IndexSpec>();
  return {
    list: () => [...specs.values()],
    create(spec) { specs.set(spec.name, spec); },
    drop(name) {
      if (!specs.has(name)) throw new MongoError(Codes.IndexNotFound, 'IndexNotFound', `index not found with name [${name}]`);
      specs.delete(name);
    },
    insert() {}, update() {}, remove() {}, checkUnique() {},
    plan(): Plan { return { indexName: null, candidates: null, providesSort: false, stage: 'COLLSCAN' }; },
    textSearch() { throw new MongoError(Codes.IndexNotFound, 'IndexNotFound', 'text index required for $text query'); },
    expired(): RecordId[] { return []; },
  };
}
