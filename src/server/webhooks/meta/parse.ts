import type { InboxEvent } from '@/server/services/inbox/events';
import { asArray, asRecord, str } from '../json';
import { parseMessaging } from './messaging';
import { parseWhatsAppMessages } from './whatsapp-messages';
import { parseWhatsAppStatuses } from './whatsapp-statuses';

/**
 * One verified Meta webhook body -> provider-neutral events. A body may batch several entries, each
 * with several changes (WhatsApp) or messaging events (Messenger, Instagram).
 */
export function parseMetaWebhook(body: unknown): InboxEvent[] {
  const root = asRecord(body);
  const object = str(root.object);
  return asArray(root.entry).flatMap((e): InboxEvent[] => {
    const entry = asRecord(e);
    if (object === 'whatsapp_business_account') {
      return asArray(entry.changes).flatMap((c) => {
        const change = asRecord(c);
        if (change.field !== 'messages') return [];
        const value = asRecord(change.value);
        return [...parseWhatsAppMessages(value), ...parseWhatsAppStatuses(value)];
      });
    }
    if (object === 'page') return parseMessaging(entry, 'messenger');
    if (object === 'instagram') return parseMessaging(entry, 'instagram');
    return [];
  });
}
