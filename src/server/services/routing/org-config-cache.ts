import { LRUCache } from 'lru-cache';
import { configEventsLive, onOrgConfigUpdated, publishOrgConfigUpdated } from '../../tenancy/config-events';

/**
 * A per-process cache of one piece of an organisation's configuration (routing rules, engine
 * settings) read on every conversation. Whoever saves the piece calls `changed(slug)`, which drops it
 * here at once and in every other process through `org:config:updated` within about a second. While
 * this process cannot hear those events (not subscribed yet, Redis down) entries live one second.
 * A generation counter stops a read that started before a change from storing what it read.
 */
const LIVE_TTL_MS = 60_000;
const DEAF_TTL_MS = 1_000;

export interface OrgConfigCache<T> {
  get(slug: string): Promise<T>;
  /** The piece was saved: drop it everywhere. */
  changed(slug: string): Promise<void>;
}

export function orgConfigCache<T extends object>(name: string, load: (slug: string) => Promise<T>): OrgConfigCache<T> {
  const entries = new LRUCache<string, { value: T }>({ max: 5_000, ttl: LIVE_TTL_MS });
  let generation = 0;
  let subscribed = false;
  const drop = (slug: string) => {
    generation++;
    if (slug === '*') entries.clear();
    else entries.delete(slug);
  };
  return {
    async get(slug) {
      if (!subscribed) {
        subscribed = true;
        onOrgConfigUpdated((event) => drop(event.slug));
      }
      const hit = entries.get(slug);
      if (hit) return hit.value;
      const gen = generation;
      const value = await load(slug);
      if (gen === generation) entries.set(slug, { value }, { ttl: configEventsLive() ? LIVE_TTL_MS : DEAF_TTL_MS });
      return value;
    },
    async changed(slug) {
      drop(slug);
      await publishOrgConfigUpdated(slug, `${name}.changed`);
    },
  };
}
