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

export class TextIndex {
  readonly name: string;
  readonly weights: Record<string, number>;
  readonly wildcard: boolean;
  readonly language: string;
  readonly languageOverride: string;
  /** term -> record -> score contribution */
  private postings = new Map<string, Map<RecordId, number>>();
  /** Documents by record, for phrase and case/diacritic-sensitive checks. */
  private docs = new Map<RecordId, Document>();

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
    this.docs.set(id, doc);
    for (const [t, s] of sc) {
      let p = this.postings.get(t);
      if (!p) this.postings.set(t, (p = new Map()));
      p.set(id, s);
    }
  }

  remove(id: RecordId, doc: Document): void {
    this.docs.delete(id);
    for (const t of this.scores(doc).keys()) {
      const p = this.postings.get(t);
      if (!p) continue;
      p.delete(id);
      if (p.size === 0) this.postings.delete(t);
    }
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
      for (const [id, s] of p) result.set(id, (result.get(id) ?? 0) + s);
    }
    for (const t of negative) {
      const p = this.postings.get(t);
      if (p) for (const id of p.keys()) result.delete(id);
    }
    const sensitive = { caseSensitive: !!q.$caseSensitive, diacriticSensitive: !!q.$diacriticSensitive };
    const needsText = parsed.phrases.length > 0 || parsed.negPhrases.length > 0 || sensitive.caseSensitive || sensitive.diacriticSensitive;
    if (!needsText) return result;
    const phrases = parsed.phrases.map((p) => foldText(p, sensitive));
    const negPhrases = parsed.negPhrases.map((p) => foldText(p, sensitive));
    const sensitiveTerms = sensitive.caseSensitive || sensitive.diacriticSensitive ? new Set(parsed.positive.flatMap((p) => terms(p, lang, sensitive))) : null;
    for (const id of [...result.keys()]) {
      const doc = this.docs.get(id);
      if (!doc) continue;
      const texts = this.strings(doc).map(([, s]) => foldText(s, sensitive));
      const has = (p: string) => texts.some((t) => t.includes(p));
      let keep = phrases.every(has) && !negPhrases.some(has);
      if (keep && sensitiveTerms) {
        const docTerms = new Set(this.strings(doc).flatMap(([, s]) => terms(s, this.docLanguage(doc), sensitive)));
        keep = [...sensitiveTerms].some((t) => docTerms.has(t));
      }
      if (!keep) result.delete(id);
    }
    return result;
  }
}
