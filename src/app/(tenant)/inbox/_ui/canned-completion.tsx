'use client';

import { useState, type KeyboardEvent } from 'react';

export type Canned = { shortcut: string; text: string };

/** The `/word` being typed just before the caret, if any. */
function tokenAt(text: string, caret: number) {
  const m = /(^|\s)\/([a-z0-9-]*)$/.exec(text.slice(0, caret));
  return m ? { start: caret - m[2]!.length - 1, query: m[2]! } : null;
}

/**
 * `/` completion of canned responses in the composer: typing `/` (at the start or after a space)
 * lists the shortcuts that match what follows; ArrowUp/ArrowDown move, Enter or Tab inserts the text,
 * Escape closes. Returns the props the textarea needs (a combobox for screen readers) and the list.
 */
export function useCannedCompletion(items: Canned[], text: string, setText: (t: string) => void, listId: string) {
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const token = tokenAt(text, caret);
  const matches = token
    ? [
        ...items.filter((c) => c.shortcut.startsWith(token.query)),
        ...items.filter((c) => !c.shortcut.startsWith(token.query) && c.shortcut.includes(token.query)),
      ].slice(0, 8)
    : [];
  const key = token ? `${token.start}:${token.query}` : null;
  const open = matches.length > 0 && dismissed !== key;
  const current = Math.min(active, matches.length - 1);

  const insert = (c: Canned) => {
    if (!token) return;
    const before = text.slice(0, token.start);
    setText(before + c.text + text.slice(caret));
    setCaret(before.length + c.text.length);
    setActive(0);
  };
  const track = (el: HTMLTextAreaElement) => setCaret(el.selectionStart ?? el.value.length);

  /** Handles the key when the list is open; returns true if it did (the composer then ignores it). */
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((current + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
      return true;
    }
    if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey) || e.key === 'Tab') {
      e.preventDefault();
      insert(matches[current]!);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      setDismissed(key);
      return true;
    }
    return false;
  };

  const inputProps = {
    role: 'combobox' as const,
    'aria-autocomplete': 'list' as const,
    'aria-expanded': open,
    'aria-controls': listId,
    'aria-activedescendant': open ? `${listId}-${current}` : undefined,
    onSelect: (e: React.SyntheticEvent<HTMLTextAreaElement>) => track(e.currentTarget),
    onKeyUp: (e: React.KeyboardEvent<HTMLTextAreaElement>) => track(e.currentTarget),
  };

  const list = open ? (
    <ul
      id={listId}
      role="listbox"
      aria-label="Canned responses"
      className="border-border bg-background absolute bottom-full left-0 z-20 mb-1 max-h-60 w-full overflow-y-auto rounded-md border shadow-lg"
      data-testid="canned-completion"
    >
      {matches.map((c, i) => (
        <li
          key={c.shortcut}
          id={`${listId}-${i}`}
          role="option"
          aria-selected={i === current}
          onMouseDown={(e) => {
            e.preventDefault(); // keep the focus in the textarea
            insert(c);
          }}
          className={`cursor-pointer px-3 py-2 text-sm ${i === current ? 'bg-muted' : ''}`}
        >
          <span className="font-mono font-medium">/{c.shortcut}</span>{' '}
          <span className="text-muted-foreground line-clamp-1">{c.text}</span>
        </li>
      ))}
    </ul>
  ) : null;

  return { inputProps, list, onKeyDown, track };
}
