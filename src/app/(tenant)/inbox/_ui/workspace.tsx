'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ConversationList } from './conversation-list';
import { ConversationView } from './conversation-view';
import { Filters, type FilterState } from './filters';
import { VIEW_LABELS } from './labels';
import { PresenceSwitch } from './presence-switch';
import { useLiveInbox } from './use-live-inbox';
import { useAbility, useMe } from '@/lib/ability';
import { useTRPC } from '@/trpc/client';

export interface Me {
  id: string;
  name: string;
  role: string;
}

/**
 * Three panes on wide screens (views and list, conversation, customer), one at a time on phones:
 * the list until a conversation is opened, then the conversation with a way back.
 */
export function Workspace({ appName, user }: { appName: string; user: Me }) {
  const trpc = useTRPC();
  const { state: live, socket } = useLiveInbox();
  const ability = useAbility();
  const me = useMe();
  const views = useQuery(trpc.workspace.views.queryOptions({}));
  const [view, setView] = useState<keyof typeof VIEW_LABELS | null>(null);
  const [filters, setFilters] = useState<FilterState>({});
  const [openId, setOpenId] = useState<string | null>(null);
  const available = views.data?.views ?? [];
  const current = view && available.includes(view) ? view : ((available.includes('all') ? 'all' : available[0]) ?? null);

  return (
    <div className="flex h-dvh flex-col">
      <header className="bg-primary text-primary-foreground flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2">
        <span className="font-semibold">{appName} · Inbox</span>
        <span className="text-xs opacity-90" data-testid="live-state" aria-live="polite">
          {live === 'live' ? '● Live' : live === 'connecting' ? 'Connecting…' : 'Offline: reconnecting…'}
        </span>
        <div className="ml-auto flex items-center gap-3 text-sm">
          <PresenceSwitch socket={socket} />
          <a href="/account" className="hover:underline">
            {user.name}
          </a>
        </div>
      </header>
      {me.data && !ability.can('read', 'Conversation') ? (
        <p className="text-muted-foreground m-auto max-w-md p-6 text-center" data-testid="no-inbox">
          Your role ({user.role}) does not include customer conversations.{' '}
          <a className="underline" href="/account">
            Your account
          </a>
        </p>
      ) : (
        <div className="flex min-h-0 flex-1">
          <aside
            className={`border-border flex w-full flex-col border-r md:w-72 lg:w-80 xl:w-96 ${openId ? 'hidden md:flex' : 'flex'}`}
            aria-label="Conversations"
          >
            <nav aria-label="Views" className="border-border flex gap-1 overflow-x-auto border-b p-2">
              {views.isPending && <span className="text-muted-foreground p-1 text-sm">Loading views…</span>}
              {views.error && (
                <span className="text-destructive p-1 text-sm">Could not load your views: {views.error.message}</span>
              )}
              {available.map((v) => {
                const counts = views.data?.counts.find((c) => c.view === v);
                return (
                  <button
                    key={v}
                    type="button"
                    onClick={() => setView(v)}
                    aria-pressed={current === v}
                    className={`rounded-md px-3 py-1.5 text-sm whitespace-nowrap ${current === v ? 'bg-primary text-primary-foreground' : 'hover:bg-muted'}`}
                  >
                    {VIEW_LABELS[v]}
                    {counts && counts.unread > 0 && (
                      <span
                        className="bg-destructive ml-1.5 rounded-full px-1.5 text-xs text-white"
                        aria-label={`${counts.unread} unread`}
                      >
                        {counts.unread}
                      </span>
                    )}
                  </button>
                );
              })}
            </nav>
            <Filters value={filters} onChange={setFilters} />
            {current && <ConversationList view={current} filters={filters} openId={openId} onOpen={setOpenId} />}
          </aside>
          <section className={`min-w-0 flex-1 ${openId ? 'flex' : 'hidden md:flex'}`} aria-label="Conversation">
            {openId ? (
              <ConversationView key={openId} id={openId} me={user} onBack={() => setOpenId(null)} />
            ) : (
              <p className="text-muted-foreground m-auto p-6 text-center">
                Pick a conversation. Use j / k or the arrow keys to move through the list, Enter to open.
              </p>
            )}
          </section>
        </div>
      )}
    </div>
  );
}
