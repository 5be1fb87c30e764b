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
 * Invariant for inner nodes: every entry of children[i-1] < (keys[i], ids[i]) <= every entry of
 * children[i]. keys[0]/ids[0] are kept but never consulted. Deletion only removes empty nodes, which
 * preserves the invariant (separators remain valid lower bounds).
 */
export type KeyCompare = (a: unknown, b: unknown) => number;

const LEAF_MAX = 128;
const LEAF_CAP = LEAF_MAX + 1;
const FIRST_LEAF_CAP = 8;
const INNER_MAX = 64;

class Leaf {
  /** Entries are keys[0..n) / ids[0..n); slots past n hold nothing. */
  keys: unknown[];
  ids: Float64Array;
  n = 0;
  next: Leaf | null = null;
  prev: Leaf | null = null;
  parent: Inner | null = null;

  constructor(capacity = LEAF_CAP) {
    this.keys = new Array(capacity);
    this.ids = new Float64Array(capacity);
  }

  /** Makes room for one more entry (leaves start small and grow up to LEAF_CAP). */
  reserve(): void {
    if (this.n < this.ids.length) return;
    const cap = Math.min(LEAF_CAP, this.ids.length * 2);
    const keys = new Array(cap);
    for (let i = 0; i < this.n; i++) keys[i] = this.keys[i];
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
  private root: Node = new Leaf(FIRST_LEAF_CAP);
  /** Number of entries. */
  size = 0;
  /** Bumped on every modification so that lazy iterators can notice and re-seek. */
  version = 0;

  constructor(readonly compareKeys: KeyCompare) {}

  private cmp(ka: unknown, ia: number, kb: unknown, ib: number): number {
    const c = this.compareKeys(ka, kb);
    if (c !== 0) return c;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
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
      if (this.cmp(leaf.keys[mid], leaf.ids[mid]!, key, id) < 0) lo = mid + 1;
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
  private position(key: unknown, id: number): [Leaf, number] {
    const last = this.rightmost();
    const n = last.n;
    if (n > 0 && this.cmp(last.keys[n - 1], last.ids[n - 1]!, key, id) < 0) return [last, n];
    const leaf = this.findLeaf(key, id);
    return [leaf, this.lowerIndex(leaf, key, id)];
  }

  insert(key: unknown, id: number): void {
    const [leaf, i] = this.position(key, id);
    if (i < leaf.n && this.cmp(leaf.keys[i], leaf.ids[i]!, key, id) === 0) return; // already there
    this.insertAt(leaf, i, key, id);
  }

  /**
   * Inserts (key, id) unless another id already holds an equal key: then nothing changes and
   * that id is returned (-1 after inserting). Entries with equal keys are neighbours in id order,
   * so the entries on either side of the insertion point are the only ones to look at: one descent
   * both checks uniqueness and inserts.
   */
  insertUnique(key: unknown, id: number): number {
    const [leaf, i] = this.position(key, id);
    const after: Cursor = i < leaf.n ? { leaf, i } : { leaf: leaf.next, i: 0 };
    if (after.leaf && this.compareKeys(after.leaf.keys[after.i], key) === 0) {
      const other = after.leaf.ids[after.i]!;
      if (other !== id) return other;
      return -1; // this very entry is already there
    }
    const before = i > 0 ? { leaf, i: i - 1 } : leaf.prev ? { leaf: leaf.prev, i: leaf.prev.n - 1 } : null;
    if (before && this.compareKeys(before.leaf.keys[before.i], key) === 0) return before.leaf.ids[before.i]!;
    this.insertAt(leaf, i, key, id);
    return -1;
  }

  private insertAt(leaf: Leaf, i: number, key: unknown, id: number): void {
    leaf.reserve();
    const n = leaf.n;
    if (i < n) {
      // A plain loop: Array.prototype.copyWithin takes a slow generic path on a holey array.
      const keys = leaf.keys;
      for (let j = n; j > i; j--) keys[j] = keys[j - 1];
      leaf.ids.copyWithin(i + 1, i, n);
    }
    leaf.keys[i] = key;
    leaf.ids[i] = id;
    leaf.n = n + 1;
    this.size++;
    this.version++;
    if (leaf.n > LEAF_MAX) this.splitLeaf(leaf, i === n && leaf.next === null);
  }

  private splitLeaf(leaf: Leaf, appended: boolean): void {
    const n = leaf.n;
    const half = appended ? n - 1 : n >> 1;
    const right = new Leaf();
    for (let j = half; j < n; j++) {
      right.keys[j - half] = leaf.keys[j];
      leaf.keys[j] = undefined; // no stale references to keys that moved
    }
    right.ids.set(leaf.ids.subarray(half, n));
    right.n = n - half;
    leaf.n = half;
    right.next = leaf.next;
    if (right.next) right.next.prev = right;
    right.prev = leaf;
    leaf.next = right;
    this.insertChild(leaf, right, right.keys[0], right.ids[0]!);
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
    if (i >= leaf.n || this.cmp(leaf.keys[i], leaf.ids[i]!, key, id) !== 0) return false;
    const n = leaf.n;
    const keys = leaf.keys;
    for (let j = i; j < n - 1; j++) keys[j] = keys[j + 1];
    leaf.ids.copyWithin(i, i + 1, n);
    leaf.keys[n - 1] = undefined;
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
    this.root = new Leaf(FIRST_LEAF_CAP);
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
      const leaf = new Leaf(keys.length <= FIRST_LEAF_CAP ? FIRST_LEAF_CAP : LEAF_CAP);
      for (let j = 0; j < count; j++) {
        leaf.keys[j] = keys[s + j];
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
      return [n.keys[0], n.ids[0]!];
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
        if (this.compareKeys(leaf.keys[i], key) !== 0) return out;
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
    const beyondHigh = (k: unknown) => {
      if (unboundedHigh) return false;
      const c = this.compareKeys(k, highKey);
      return highInclusive ? c > 0 : c >= 0;
    };
    const beyondLow = (k: unknown) => {
      if (unboundedLow) return false;
      const c = this.compareKeys(k, lowKey);
      return lowInclusive ? c < 0 : c <= 0;
    };
    let cur: Cursor;
    if (!reverse) cur = unboundedLow ? this.first() : this.seek(lowKey, lowInclusive ? -Infinity : Infinity);
    else cur = unboundedHigh ? this.last() : this.before(this.seek(highKey, highInclusive ? Infinity : -Infinity));
    let version = this.version;
    while (cur.leaf) {
      const k = cur.leaf.keys[cur.i];
      const id = cur.leaf.ids[cur.i]!;
      if (reverse ? beyondLow(k) : beyondHigh(k)) return;
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
