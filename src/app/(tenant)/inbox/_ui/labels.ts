/** Words for the workspace's enums, in one place. */
export const VIEW_LABELS = { mine: 'Mine', unassigned: 'Unassigned', teams: 'My teams', all: 'All' } as const;
export const CHANNEL_LABELS: Record<string, string> = {
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
  instagram: 'Instagram',
  webchat: 'Web chat',
  sms: 'SMS',
  twilio_whatsapp: 'WhatsApp (Twilio)',
};
export const STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function timeAgo(iso: string | undefined | null): string {
  if (!iso) return '';
  const s = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return 'now';
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return new Date(iso).toLocaleDateString();
}
