/**
 * A compact in-memory B+tree of (key, recordId) entries, ordered by a key comparator and then by
 * record id, so duplicate keys are allowed and every entry is unique.
 *
 * Written here rather than taken from a library so that leaves hold keys and ids in two flat
 * arrays (ids in a Float64Array, no per-entry objects) and so that iteration can survive
 * concurrent modification by re-seeking from the last returned entry.
 *
 * Leaves have a fixed capacity (after starting small, so that thousands of tiny collections stay
 * cheap) instead of arrays grown by splice, whose spare capacity cost ~2.5x the entries. A leaf
 * that overflows at the right edge of the tree (ascending inserts: ObjectIds, dates, counters)
 * splits off only the new entry, so such indexes fill their leaves instead of leaving them half
 * empty.
 *
 * A compound index's keys are tuples. Leaves store them flattened, `width` values per entry
 * (entry i's field f at keys[i * width + f]), compared field by field in place: a tuple kept per
 * entry cost ~64 bytes of heap (an array and its elements) and two objects for the GC to trace.
 * Tuples are materialised again only for the callers that read keys (walks, separators).
 *
 * Invariant for inner nodes: every entry of children[i-1] < (keys[i], ids[i]) <= every entry of
 * children[i]. keys[0]/ids[0] are kept but never consulted. Deletion only removes empty nodes, which
 * preserves the invariant (separators remain valid lower bounds).
 */
export type KeyCompare = (a: unknown, b: unknown) => number;
/** Compares field `f` of two tuple keys (x from an entry, y from the caller's key or bound). */
export type PartCompare = (x: unknown, y: unknown, f: number) => number;

const LEAF_MAX = 128;
const LEAF_CAP = LEAF_MAX + 1;
const FIRST_LEAF_CAP = 8;
const INNER_MAX = 64;

class Leaf {
  /** Entries are keys[0..n*w) / ids[0..n); slots past those hold nothing. */
  keys: unknown[];
  ids: Float64Array;
  n = 0;
  next: Leaf | null = null;
  prev: Leaf | null = null;
  parent: Inner | null = null;

  constructor(
    readonly w: number,
    capacity = LEAF_CAP,
  ) {
    this.keys = new Array(capacity * w);
    this.ids = new Float64Array(capacity);
  }

  /** Makes room for one more entry (leaves start small and grow up to LEAF_CAP). */
  reserve(): void {
    if (this.n < this.ids.length) return;
    const cap = Math.min(LEAF_CAP, this.ids.length * 2);
    const keys = new Array(cap * this.w);
    for (let i = 0; i < this.n * this.w; i++) keys[i] = this.keys[i];
    const ids = new Float64Array(cap);
    ids.set(this.ids.subarray(0, this.n));
    this.keys = keys;
    this.ids = ids;
  }
}

class Inner {
  keys: unknown[] = [];
  ids: number[] = [];
  children: Node[] = [];
  parent: Inner | null = null;
}

type Node = Leaf | Inner;

/** Position of an entry: a leaf and an index inside it. index may equal leaf length (past end). */
export interface Cursor {
  leaf: Leaf | null;
  i: number;
}

export class BTree {
  private root: Node;
  /** Number of entries. */
  size = 0;
  /** Bumped on every modification so that lazy iterators can notice and re-seek. */
  version = 0;

  /** `width` > 1: keys are tuples of that many values, compared field by field with comparePart. */
  constructor(
    readonly compareKeys: KeyCompare,
    private readonly width = 1,
    private readonly comparePart?: PartCompare,
  ) {
    if (width > 1 && !comparePart) throw new Error('BTree: tuple keys need a part comparator');
    this.root = new Leaf(width, FIRST_LEAF_CAP);
  }

  private cmp(ka: unknown, ia: number, kb: unknown, ib: number): number {
    const c = this.compareKeys(ka, kb);
    if (c !== 0) return c;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  }

  /** Key of leaf entry i against `key`. */
  private keyCmpAt(leaf: Leaf, i: number, key: unknown): number {
    const w = this.width;
    if (w === 1) return this.compareKeys(leaf.keys[i], key);
    const keys = leaf.keys;
    const t = key as unknown[];
    const base = i * w;
    for (let f = 0; f < w; f++) {
      const c = this.comparePart!(keys[base + f], t[f], f);
      if (c !== 0) return c;
    }
    return 0;
  }

  /** Leaf entry i against (key, id). */
  private cmpAt(leaf: Leaf, i: number, key: unknown, id: number): number {
    const c = this.keyCmpAt(leaf, i, key);
    if (c !== 0) return c;
    const e = leaf.ids[i]!;
    return e < id ? -1 : e > id ? 1 : 0;
  }

  /** The key of leaf entry i (a fresh tuple for tuple keys). */
  private keyAt(leaf: Leaf, i: number): unknown {
    const w = this.width;
    if (w === 1) return leaf.keys[i];
    const t = new Array<unknown>(w);
    for (let f = 0; f < w; f++) t[f] = leaf.keys[i * w + f];
    return t;
  }

  private setKey(leaf: Leaf, i: number, key: unknown): void {
    const w = this.width;
    if (w === 1) leaf.keys[i] = key;
    else for (let f = 0; f < w; f++) leaf.keys[i * w + f] = (key as unknown[])[f];
  }

  /** The leaf whose range holds (key, id). */
  private findLeaf(key: unknown, id: number): Leaf {
    let node = this.root;
    while (node instanceof Inner) {
      // last child whose separator is <= target (child 0 when none)
      let lo = 1;
      let hi = node.children.length - 1;
      let pick = 0;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (this.cmp(node.keys[mid], node.ids[mid]!, key, id) <= 0) {
          pick = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      node = node.children[pick]!;
    }
    return node;
  }

  /** First index in leaf whose entry is >= (key, id). */
  private lowerIndex(leaf: Leaf, key: unknown, id: number): number {
    let lo = 0;
    let hi = leaf.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cmpAt(leaf, mid, key, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The last leaf in tree order (a walk down the last children: 1-3 hops). */
  private rightmost(): Leaf {
    let n = this.root;
    while (n instanceof Inner) n = n.children[n.children.length - 1]!;
    return n;
  }

  /**
   * Where (key, id) belongs: [leaf, index]. Keys that arrive in ascending order (ObjectId `_id`s,
   * dates, counters) go past the last entry, which one comparison with that entry confirms
   * instead of a descent (~17 comparisons at 100k entries); other keys pay that one extra.
   */
  private position(key: unknown, id: number): Leaf {
    const last = this.rightmost();
    const n = last.n;
    if (n > 0 && this.cmpAt(last, n - 1, key, id) < 0) {
      this.at = n;
      return last;
    }
    const leaf = this.findLeaf(key, id);
    this.at = this.lowerIndex(leaf, key, id);
    return leaf;
  }

  /** The index inside the leaf position() returned (a field, not a returned pair: no garbage per insert). */
  private at = 0;

  insert(key: unknown, id: number): void {
    const leaf = this.position(key, id);
    const i = this.at;
    if (i < leaf.n && this.cmpAt(leaf, i, key, id) === 0) return; // already there
    this.insertAt(leaf, i, key, id);
  }

  /**
   * Inserts (key, id) unless another id already holds an equal key: then nothing changes and
   * that id is returned (-1 after inserting). Entries with equal keys are neighbours in id order,
   * so the entries on either side of the insertion point are the only ones to look at: one descent
   * both checks uniqueness and inserts.
   */
  insertUnique(key: unknown, id: number): number {
    const leaf = this.position(key, id);
    const i = this.at;
    // The entry after the insertion point, then the one before it (either may be in a neighbour leaf).
    const afterLeaf = i < leaf.n ? leaf : leaf.next;
    const afterI = i < leaf.n ? i : 0;
    if (afterLeaf && this.keyCmpAt(afterLeaf, afterI, key) === 0) {
      const other = afterLeaf.ids[afterI]!;
      return other !== id ? other : -1; // -1: this very entry is already there
    }
    const beforeLeaf = i > 0 ? leaf : leaf.prev;
    const beforeI = i > 0 ? i - 1 : (leaf.prev?.n ?? 0) - 1;
    if (beforeLeaf && this.keyCmpAt(beforeLeaf, beforeI, key) === 0) return beforeLeaf.ids[beforeI]!;
    this.insertAt(leaf, i, key, id);
    return -1;
  }

  private insertAt(leaf: Leaf, i: number, key: unknown, id: number): void {
    leaf.reserve();
    const n = leaf.n;
    if (i < n) {
      // A plain loop: Array.prototype.copyWithin takes a slow generic path on a holey array.
      const keys = leaf.keys;
      const w = this.width;
      for (let j = n * w + w - 1; j >= (i + 1) * w; j--) keys[j] = keys[j - w];
      leaf.ids.copyWithin(i + 1, i, n);
    }
    this.setKey(leaf, i, key);
    leaf.ids[i] = id;
    leaf.n = n + 1;
    this.size++;
    this.version++;
    if (leaf.n > LEAF_MAX) this.splitLeaf(leaf, i === n && leaf.next === null);
  }

  private splitLeaf(leaf: Leaf, appended: boolean): void {
    const n = leaf.n;
    const half = appended ? n - 1 : n >> 1;
    const right = new Leaf(this.width);
    const w = this.width;
    for (let j = half * w; j < n * w; j++) {
      right.keys[j - half * w] = leaf.keys[j];
      leaf.keys[j] = undefined; // no stale references to keys that moved
    }
    right.ids.set(leaf.ids.subarray(half, n));
    right.n = n - half;
    leaf.n = half;
    right.next = leaf.next;
    if (right.next) right.next.prev = right;
    right.prev = leaf;
    leaf.next = right;
    this.insertChild(leaf, right, this.keyAt(right, 0), right.ids[0]!);
  }

  /** Adds `right` after `left` in left's parent with separator (key, id), splitting upward. */
  private insertChild(left: Node, right: Node, key: unknown, id: number): void {
    let parent = left.parent;
    if (!parent) {
      parent = new Inner();
      parent.children = [left];
      parent.keys = [undefined];
      parent.ids = [0];
      left.parent = parent;
      this.root = parent;
    }
    const at = parent.children.indexOf(left) + 1;
    parent.children.splice(at, 0, right);
    parent.keys.splice(at, 0, key);
    parent.ids.splice(at, 0, id);
    right.parent = parent;
    if (parent.children.length > INNER_MAX) {
      const half = parent.children.length >> 1;
      const sibling = new Inner();
      sibling.children = parent.children.splice(half);
      sibling.keys = parent.keys.splice(half);
      sibling.ids = parent.ids.splice(half);
      for (const c of sibling.children) c.parent = sibling;
      this.insertChild(parent, sibling, sibling.keys[0], sibling.ids[0]!);
    }
  }

  /** Removes (key, id); returns false when absent. */
  delete(key: unknown, id: number): boolean {
    const leaf = this.findLeaf(key, id);
    const i = this.lowerIndex(leaf, key, id);
    if (i >= leaf.n || this.cmpAt(leaf, i, key, id) !== 0) return false;
    const n = leaf.n;
    const keys = leaf.keys;
    const w = this.width;
    for (let j = i * w; j < (n - 1) * w; j++) keys[j] = keys[j + w];
    leaf.ids.copyWithin(i, i + 1, n);
    for (let j = (n - 1) * w; j < n * w; j++) keys[j] = undefined;
    leaf.n = n - 1;
    this.size--;
    this.version++;
    if (leaf.n === 0 && leaf.parent) {
      if (leaf.prev) leaf.prev.next = leaf.next;
      if (leaf.next) leaf.next.prev = leaf.prev;
      this.removeChild(leaf);
    }
    return true;
  }

  private removeChild(child: Node): void {
    const parent = child.parent!;
    const at = parent.children.indexOf(child);
    parent.children.splice(at, 1);
    parent.keys.splice(at, 1);
    parent.ids.splice(at, 1);
    if (parent.children.length === 0 && parent.parent) this.removeChild(parent);
    else if (parent === this.root && parent.children.length === 1) {
      this.root = parent.children[0]!;
      this.root.parent = null;
    }
  }

  clear(): void {
    this.root = new Leaf(this.width, FIRST_LEAF_CAP);
    this.size = 0;
    this.version++;
  }

  /** Replaces the content with entries already sorted by (key, id). Much faster than inserts. */
  bulkLoad(keys: unknown[], ids: number[]): void {
    this.clear();
    if (keys.length === 0) return;
    const fill = Math.floor(LEAF_MAX * 0.75);
    let level: Node[] = [];
    let prev: Leaf | null = null;
    for (let s = 0; s < keys.length; s += fill) {
      const count = Math.min(fill, keys.length - s);
      // A lone small leaf (small collection) starts small; others get room to grow.
      const leaf = new Leaf(this.width, keys.length <= FIRST_LEAF_CAP ? FIRST_LEAF_CAP : LEAF_CAP);
      for (let j = 0; j < count; j++) {
        this.setKey(leaf, j, keys[s + j]);
        leaf.ids[j] = ids[s + j]!;
      }
      leaf.n = count;
      leaf.prev = prev;
      if (prev) prev.next = leaf;
      prev = leaf;
      level.push(leaf);
    }
    const firstKey = (n: Node): [unknown, number] => {
      while (n instanceof Inner) n = n.children[0]!;
      return [this.keyAt(n, 0), n.ids[0]!];
    };
    const innerFill = Math.floor(INNER_MAX * 0.75);
    while (level.length > 1) {
      const up: Node[] = [];
      for (let s = 0; s < level.length; s += innerFill) {
        const inner = new Inner();
        inner.children = level.slice(s, s + innerFill);
        for (const c of inner.children) {
          c.parent = inner;
          const [k, id] = firstKey(c);
          inner.keys.push(k);
          inner.ids.push(id);
        }
        up.push(inner);
      }
      level = up;
    }
    this.root = level[0]!;
    this.root.parent = null;
    this.size = keys.length;
  }

  /** Cursor at the first entry >= (key, id); id may be ±Infinity to sit before/after equal keys. */
  seek(key: unknown, id: number): Cursor {
    const leaf = this.findLeaf(key, id);
    const i = this.lowerIndex(leaf, key, id);
    if (i < leaf.n) return { leaf, i };
    return { leaf: leaf.next, i: 0 };
  }

  /** Ids of the entries whose key compares equal to key, in id order (appended to out). */
  idsEqual(key: unknown, out: number[]): number[] {
    let leaf: Leaf | null = this.findLeaf(key, -Infinity);
    let i = this.lowerIndex(leaf, key, -Infinity);
    while (leaf) {
      for (; i < leaf.n; i++) {
        if (this.keyCmpAt(leaf, i, key) !== 0) return out;
        out.push(leaf.ids[i]!);
      }
      leaf = leaf.next;
      i = 0;
    }
    return out;
  }

  first(): Cursor {
    let n = this.root;
    while (n instanceof Inner) n = n.children[0]!;
    return n.n ? { leaf: n, i: 0 } : { leaf: null, i: 0 };
  }

  last(): Cursor {
    let n = this.root;
    while (n instanceof Inner) n = n.children[n.children.length - 1]!;
    return n.n ? { leaf: n, i: n.n - 1 } : { leaf: null, i: 0 };
  }

  /** Cursor one entry before c (the last entry when c is past the end). */
  before(c: Cursor): Cursor {
    if (!c.leaf) return this.last();
    if (c.i > 0) return { leaf: c.leaf, i: c.i - 1 };
    const p = c.leaf.prev;
    return p ? { leaf: p, i: p.n - 1 } : { leaf: null, i: 0 };
  }

  /**
   * Walks entries lazily from (startKey, startInclusive) towards (endKey, endInclusive), forward or
   * backward in tree order. Bounds are in tree order: when reverse, start is the high end.
   * `undefined` bound keys mean unbounded. Survives modification of the tree between steps.
   */
  *walk(
    lowKey: unknown,
    lowInclusive: boolean,
    highKey: unknown,
    highInclusive: boolean,
    reverse: boolean,
    unboundedLow = false,
    unboundedHigh = false,
  ): Generator<[unknown, number]> {
    const beyondHigh = (leaf: Leaf, i: number) => {
      if (unboundedHigh) return false;
      const c = this.keyCmpAt(leaf, i, highKey);
      return highInclusive ? c > 0 : c >= 0;
    };
    const beyondLow = (leaf: Leaf, i: number) => {
      if (unboundedLow) return false;
      const c = this.keyCmpAt(leaf, i, lowKey);
      return lowInclusive ? c < 0 : c <= 0;
    };
    let cur: Cursor;
    if (!reverse) cur = unboundedLow ? this.first() : this.seek(lowKey, lowInclusive ? -Infinity : Infinity);
    else cur = unboundedHigh ? this.last() : this.before(this.seek(highKey, highInclusive ? Infinity : -Infinity));
    let version = this.version;
    while (cur.leaf) {
      if (reverse ? beyondLow(cur.leaf, cur.i) : beyondHigh(cur.leaf, cur.i)) return;
      const k = this.keyAt(cur.leaf, cur.i);
      const id = cur.leaf.ids[cur.i]!;
      yield [k, id];
      if (this.version !== version) {
        // The tree changed while the consumer held the iterator: continue after the last entry.
        version = this.version;
        cur = reverse ? this.before(this.seek(k, id)) : this.seek(k, id + 0.5);
        continue;
      }
      if (!reverse) {
        cur.i++;
        if (cur.i >= cur.leaf.n) cur = { leaf: cur.leaf.next, i: 0 };
      } else cur = this.before(cur);
    }
  }

  /** All entries in order (for tests and debugging). */
  *entries(): Generator<[unknown, number]> {
    yield* this.walk(undefined, true, undefined, true, false, true, true);
  }
}
