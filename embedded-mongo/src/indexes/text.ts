/**
 * Text index: tokenise string fields (Unicode letters/digits), fold case and diacritics, drop
 * English stop words, lightly stem, and keep per-term postings with MongoDB-like scores.
 *
 * Scoring follows MongoDB's FTS spec (v2+): within one string, a term seen n times contributes
 * freq = 1 + 1/2 + ... + 1/2^(n-1), scaled by coeff = 0.5 * count / numTokens + 0.5 and by the
 * field weight; a document's score for a query is the sum over the query's distinct terms.
 */
import type { Document } from 'bson';
import type { RecordId } from '../contracts.js';
import { MongoError } from '../errors.js';
import type { NormalisedSpec } from './spec.js';
import { normalisedWeights } from './spec.js';

// Small English stop-word list (MongoDB's is larger; these are the ones that matter for scoring).
const STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other ' +
    'our ours ourselves out over own same she should so some such than that the their theirs them themselves then there ' +
    'these they this those through to too under until up very was we were what when where which while who whom why will ' +
    'with would you your yours yourself yourselves'
  ).split(' '),
);

const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
const MARKS = /\p{M}/gu;

export interface FoldOptions {
  caseSensitive?: boolean;
  diacriticSensitive?: boolean;
}

export function foldText(s: string, opts: FoldOptions = {}): string {
  let t = opts.diacriticSensitive ? s.normalize('NFC') : s.normalize('NFD').replace(MARKS, '').normalize('NFC');
  if (!opts.caseSensitive) t = t.toLowerCase();
  return t;
}

/** Light English suffix stripping (a subset of Porter step 1): good enough to join plurals and -ing/-ed forms. */
export function stem(w: string): string {
  if (w.length <= 3) return w;
  let s = w;
  if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (s.endsWith('ies') && s.length > 4) s = s.slice(0, -2);
  else if (s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us') && !s.endsWith('is')) s = s.slice(0, -1);
  const vowel = /[aeiouy]/;
  if (s.endsWith('eed')) {
    if (s.length > 4) s = s.slice(0, -1);
  } else if (s.endsWith('ing') && vowel.test(s.slice(0, -3)) && s.length > 5) s = undouble(s.slice(0, -3));
  else if (s.endsWith('ed') && vowel.test(s.slice(0, -2)) && s.length > 4) s = undouble(s.slice(0, -2));
  if (s.endsWith('e') && s.length > 4) s = s.slice(0, -1);
  if (s.endsWith('i') && s.length > 3) s = s.slice(0, -1) + 'y';
  return s;
}

function undouble(s: string): string {
  const n = s.length;
  if (n >= 2 && s[n - 1] === s[n - 2] && !'lsz'.includes(s[n - 1]!)) return s.slice(0, -1);
  return s;
}

/** Terms of a text in index/search form. language 'none' keeps stop words and skips stemming. */
export function terms(text: string, language = 'english', opts: FoldOptions = {}): string[] {
  const out: string[] = [];
  const english = language !== 'none';
  for (const m of foldText(text, opts).matchAll(TOKEN)) {
    const raw = m[0];
    const lower = opts.caseSensitive ? raw.toLowerCase() : raw;
    if (english && STOP_WORDS.has(lower)) continue;
    out.push(english ? (opts.caseSensitive ? stemPreservingCase(raw) : stem(raw)) : raw);
  }
  return out;
}

function stemPreservingCase(raw: string): string {
  const s = stem(raw.toLowerCase());
  // Keep the original casing of the stem's characters.
  return raw.slice(0, s.length) + (s.length > raw.length ? s.slice(raw.length) : '');
}

interface ParsedSearch {
  positive: string[];
  negative: string[];
  phrases: string[];
  negPhrases: string[];
}

export function parseSearch(search: string): ParsedSearch {
  const out: ParsedSearch = { positive: [], negative: [], phrases: [], negPhrases: [] };
  const re = /(-?)"([^"]*)"?|(\S+)/g;
  for (const m of search.matchAll(re)) {
    if (m[2] !== undefined) {
      if (!m[2].trim()) continue;
      (m[1] ? out.negPhrases : out.phrases).push(m[2]);
      if (!m[1]) out.positive.push(m[2]); // a phrase's words also count as terms
    } else if (m[3]!.startsWith('-') && m[3]!.length > 1) out.negative.push(m[3]!.slice(1));
    else out.positive.push(m[3]!);
  }
  return out;
}

/**
 * Postings of one term: interleaved [id, score, id, score, ...] sorted by record id. Small lists
 * are one flat array (~16 bytes per posting, no per-posting objects); a list that grows past
 * SMALL_LIMIT becomes blocks of at most BLOCK postings, so deleting from a very common term moves
 * a few kilobytes instead of the whole list. Record ids only grow, so inserts mostly append.
 */
const BLOCK = 1024;
const SMALL_LIMIT = 2 * BLOCK;

type Small = number[];
class Blocked {
  blocks: number[][] = [];
}
type Postings = Small | Blocked;

/** Index of the first pair in `a` whose id is >= id. */
function pairIndex(a: number[], id: number): number {
  let lo = 0;
  let hi = a.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid * 2]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function blockIndex(blocks: number[][], id: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  let pick = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[mid]![0]! <= id) {
      pick = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return pick;
}

/** Sets id's score in a sorted interleaved array; returns true when the array grew. */
function setPair(a: number[], id: number, score: number): boolean {
  const n = a.length;
  if (n === 0 || a[n - 2]! < id) {
    a.push(id, score);
    return true;
  }
  const at = pairIndex(a, id);
  if (a[at * 2] === id) {
    a[at * 2 + 1] = score;
    return false;
  }
  a.splice(at * 2, 0, id, score);
  return true;
}

function deletePair(a: number[], id: number): void {
  const at = pairIndex(a, id);
  if (a[at * 2] === id) a.splice(at * 2, 2);
}

function postingsSet(p: Postings, id: number, score: number): Postings {
  if (Array.isArray(p)) {
    setPair(p, id, score);
    if (p.length <= SMALL_LIMIT * 2) return p;
    const b = new Blocked();
    for (let i = 0; i < p.length; i += BLOCK * 2) b.blocks.push(p.slice(i, i + BLOCK * 2));
    return b;
  }
  const blocks = p.blocks;
  const last = blocks[blocks.length - 1]!;
  if (last[last.length - 2]! < id && last.length >= BLOCK * 2) {
    blocks.push([id, score]);
    return p;
  }
  const bi = blockIndex(blocks, id);
  const block = blocks[bi]!;
  setPair(block, id, score);
  if (block.length > BLOCK * 4) blocks.splice(bi, 1, block.slice(0, BLOCK * 2), block.slice(BLOCK * 2));
  return p;
}

/** Removes id; returns the postings left, or null when empty. */
function postingsDelete(p: Postings, id: number): Postings | null {
  if (Array.isArray(p)) {
    deletePair(p, id);
    return p.length ? p : null;
  }
  const bi = blockIndex(p.blocks, id);
  const block = p.blocks[bi]!;
  deletePair(block, id);
  if (block.length === 0) p.blocks.splice(bi, 1);
  return p.blocks.length ? p : null;
}

function postingsBlocks(p: Postings): number[][] {
  return Array.isArray(p) ? [p] : p.blocks;
}

export class TextIndex {
  readonly name: string;
  readonly weights: Record<string, number>;
  readonly wildcard: boolean;
  readonly language: string;
  readonly languageOverride: string;
  /** term -> records with score contributions */
  private postings = new Map<string, Postings>();
  /**
   * The indexed strings of each record (not the whole document, which the engine does not keep
   * in memory), for phrase and case/diacritic-sensitive checks.
   */
  private texts = new Map<RecordId, string | string[]>();
  /**
   * When the engine provides a loader, documents are fetched on demand for phrase checks and no
   * strings are kept here at all.
   */
  private loader: ((id: RecordId) => Document | undefined) | null = null;
  /** Document language per record when it differs from the index default (language_override). */
  private languages = new Map<RecordId, string>();

  constructor(readonly def: NormalisedSpec) {
    this.name = def.spec.name;
    this.weights = normalisedWeights(def);
    this.wildcard = (def.textFields ?? []).includes('$**');
    this.language = String(def.spec.default_language ?? 'english');
    this.languageOverride = String(def.spec.language_override ?? 'language');
  }

  /** [weight, string] pairs of a document's indexed text. */
  private strings(doc: Document): [number, string][] {
    const out: [number, string][] = [];
    const collect = (v: unknown, weight: number) => {
      if (typeof v === 'string') out.push([weight, v]);
      else if (Array.isArray(v)) for (const e of v) collect(e, weight);
      else if (v && typeof v === 'object' && !(v as { _bsontype?: string })._bsontype && !(v instanceof Date)) {
        for (const [k, x] of Object.entries(v)) if (this.wildcard) collect(x, this.weights[k] ?? this.weights['$**'] ?? 1);
      }
    };
    if (this.wildcard) {
      for (const [k, v] of Object.entries(doc)) if (k !== '_id') collect(v, this.weights[k] ?? this.weights['$**'] ?? 1);
    } else {
      for (const [path, w] of Object.entries(this.weights)) {
        let cur: unknown[] = [doc];
        for (const part of path.split('.')) {
          const next: unknown[] = [];
          for (const c of cur) {
            if (Array.isArray(c)) {
              for (const e of c) if (e && typeof e === 'object') next.push((e as Record<string, unknown>)[part]);
            } else if (c && typeof c === 'object') next.push((c as Record<string, unknown>)[part]);
          }
          cur = next;
        }
        for (const v of cur) collect(v, w);
      }
    }
    return out;
  }

  private docLanguage(doc: Document): string {
    const l = doc[this.languageOverride];
    return typeof l === 'string' ? l : this.language;
  }

  /** term -> score for one document. */
  private scores(doc: Document): Map<string, number> {
    const total = new Map<string, number>();
    const lang = this.docLanguage(doc);
    for (const [weight, s] of this.strings(doc)) {
      const ts = terms(s, lang);
      const per = new Map<string, { count: number; freq: number; exp: number }>();
      for (const t of ts) {
        const d = per.get(t);
        if (!d) per.set(t, { count: 1, freq: 1, exp: 1 });
        else {
          d.exp *= 2;
          d.count++;
          d.freq += 1 / d.exp;
        }
      }
      for (const [t, d] of per) {
        const coeff = (0.5 * d.count) / ts.length + 0.5;
        total.set(t, (total.get(t) ?? 0) + weight * d.freq * coeff);
      }
    }
    return total;
  }

  insert(id: RecordId, doc: Document): void {
    const sc = this.scores(doc);
    if (sc.size === 0) return;
    if (!this.loader) {
      const strs = this.strings(doc).map(([, x]) => x);
      this.texts.set(id, strs.length === 1 ? strs[0]! : strs);
    }
    const lang = this.docLanguage(doc);
    if (lang !== this.language) this.languages.set(id, lang);
    for (const [t, s] of sc) {
      const p = this.postings.get(t);
      if (!p) this.postings.set(t, [id, s]);
      else {
        const next = postingsSet(p, id, s);
        if (next !== p) this.postings.set(t, next);
      }
    }
  }

  remove(id: RecordId, doc: Document): void {
    this.texts.delete(id);
    this.languages.delete(id);
    for (const t of this.scores(doc).keys()) {
      const p = this.postings.get(t);
      if (!p) continue;
      if (postingsDelete(p, id) === null) this.postings.delete(t);
    }
  }

  setLoader(loader: ((id: RecordId) => Document | undefined) | null): void {
    this.loader = loader;
    if (loader) this.texts.clear();
  }

  private textsOf(id: RecordId): string[] | null {
    if (this.loader) {
      const doc = this.loader(id);
      return doc ? this.strings(doc).map(([, x]) => x) : null;
    }
    const stored = this.texts.get(id);
    if (stored === undefined) return null;
    return typeof stored === 'string' ? [stored] : stored;
  }

  build(records: Iterable<[RecordId, Document]>): void {
    for (const [id, doc] of records) this.insert(id, doc);
  }

  search(q: { $search: string; $language?: string; $caseSensitive?: boolean; $diacriticSensitive?: boolean }): Map<RecordId, number> {
    if (typeof q.$search !== 'string') throw new MongoError(2, 'BadValue', '$search needs a String');
    const lang = q.$language ?? this.language;
    const parsed = parseSearch(q.$search);
    const positive = new Set(parsed.positive.flatMap((p) => terms(p, lang)));
    const negative = new Set(parsed.negative.flatMap((p) => terms(p, lang)));
    const result = new Map<RecordId, number>();
    for (const t of positive) {
      const p = this.postings.get(t);
      if (!p) continue;
      for (const b of postingsBlocks(p)) for (let i = 0; i < b.length; i += 2) {
        const id = b[i]! | 0; // ids read from a double array: make them small integers again for the Map
        result.set(id, (result.get(id) ?? 0) + b[i + 1]!);
      }
    }
    for (const t of negative) {
      const p = this.postings.get(t);
      if (p) for (const b of postingsBlocks(p)) for (let i = 0; i < b.length; i += 2) result.delete(b[i]! | 0);
    }
    const sensitive = { caseSensitive: !!q.$caseSensitive, diacriticSensitive: !!q.$diacriticSensitive };
    const needsText = parsed.phrases.length > 0 || parsed.negPhrases.length > 0 || sensitive.caseSensitive || sensitive.diacriticSensitive;
    if (!needsText) return result;
    const phrases = parsed.phrases.map((p) => foldText(p, sensitive));
    const negPhrases = parsed.negPhrases.map((p) => foldText(p, sensitive));
    const sensitiveTerms = sensitive.caseSensitive || sensitive.diacriticSensitive ? new Set(parsed.positive.flatMap((p) => terms(p, lang, sensitive))) : null;
    for (const id of [...result.keys()]) {
      const raw = this.textsOf(id);
      if (raw === null) continue;
      const texts = raw.map((x) => foldText(x, sensitive));
      let keep = true;
      for (const p of phrases) if (!texts.some((t) => t.includes(p))) keep = false;
      for (const p of negPhrases) if (texts.some((t) => t.includes(p))) keep = false;
      if (keep && sensitiveTerms) {
        const lang = this.languages.get(id) ?? this.language;
        const docTerms = new Set(raw.flatMap((x) => terms(x, lang, sensitive)));
        keep = [...sensitiveTerms].some((t) => docTerms.has(t));
      }
      if (!keep) result.delete(id);
    }
    return result;
  }
}
