/**
 * The kinds of inbox an admin can add, with the fields each provider needs and the words that help
 * fill them in. Client-safe (no server imports); the server validates the same rules again.
 */
export type Provider = 'meta' | 'twilio' | 'webchat';
export type Channel = 'whatsapp' | 'messenger' | 'instagram' | 'sms' | 'twilio_whatsapp' | 'webchat';
export type SecretName = 'appSecret' | 'verifyToken' | 'accessToken' | 'authToken';

export interface FieldSpec {
  key: string;
  label: string;
  hint?: string;
  secret?: boolean;
  required?: boolean;
  placeholder?: string;
  /** Multi-line (one value per line). */
  lines?: boolean;
  pattern?: string;
}

export interface ChannelKind {
  channel: Channel;
  provider: Provider;
  label: string;
  description: string;
  fields: FieldSpec[];
  /** Meta webhook fields to subscribe to in the app dashboard. */
  subscribe?: string;
}

const META_SECRETS: FieldSpec[] = [
  { key: 'appSecret', label: 'App secret', secret: true, required: true, hint: 'Meta app dashboard → App settings → Basic. Used to verify X-Hub-Signature-256 on every webhook.' },
  { key: 'accessToken', label: 'Access token', secret: true, required: true, hint: 'A long-lived (system user) token with messaging permission. Used to send replies.' },
  { key: 'verifyToken', label: 'Verify token', secret: true, required: true, hint: 'Any string of 8+ characters you choose; paste the same value into Meta’s “Verify token” field.' },
];
const DIGITS = '[0-9]{1,64}';

export const CHANNEL_KINDS: ChannelKind[] = [
  {
    channel: 'whatsapp',
    provider: 'meta',
    label: 'WhatsApp (Cloud API)',
    description: 'One WhatsApp Business phone number through Meta’s Cloud API.',
    fields: [{ key: 'phoneNumberId', label: 'Phone number id', required: true, pattern: DIGITS, hint: 'WhatsApp → API setup → Phone number ID (digits).' }, ...META_SECRETS],
    subscribe: 'messages',
  },
  {
    channel: 'messenger',
    provider: 'meta',
    label: 'Messenger',
    description: 'One Facebook page’s Messenger conversations.',
    fields: [{ key: 'pageId', label: 'Page id', required: true, pattern: DIGITS, hint: 'The Facebook page’s numeric id.' }, ...META_SECRETS],
    subscribe: 'messages, message_deliveries, message_reads, messaging_postbacks',
  },
  {
    channel: 'instagram',
    provider: 'meta',
    label: 'Instagram',
    description: 'Direct messages of one Instagram professional account.',
    fields: [{ key: 'igUserId', label: 'Instagram account id', required: true, pattern: DIGITS, hint: 'The Instagram professional account’s numeric id.' }, ...META_SECRETS],
    subscribe: 'messages',
  },
  {
    channel: 'sms',
    provider: 'twilio',
    label: 'SMS (Twilio)',
    description: 'Text messages to and from one Twilio phone number.',
    fields: twilioFields('+15551234567'),
  },
  {
    channel: 'twilio_whatsapp',
    provider: 'twilio',
    label: 'WhatsApp (Twilio)',
    description: 'A WhatsApp sender connected through Twilio.',
    fields: twilioFields('whatsapp:+15551234567'),
  },
  {
    channel: 'webchat',
    provider: 'webchat',
    label: 'Web chat',
    description: 'The chat widget on your own website.',
    fields: [
      { key: 'allowedOrigins', label: 'Websites allowed to embed it', lines: true, placeholder: 'https://shop.example.com', hint: 'One origin per line. Leave empty to allow any site.' },
      { key: 'greeting', label: 'Greeting', placeholder: 'Hi! How can we help?', hint: 'Optional first words visitors see.' },
    ],
  },
];

function twilioFields(example: string): FieldSpec[] {
  return [
    { key: 'accountSid', label: 'Account SID', required: true, pattern: 'AC[0-9a-fA-F]{32}', placeholder: 'AC…', hint: 'Twilio console → Account info.' },
    { key: 'authToken', label: 'Auth token', secret: true, required: true, hint: 'Verifies X-Twilio-Signature and sends replies.' },
    { key: 'fromNumber', label: 'From number', required: true, placeholder: example, hint: `E.164 format, e.g. ${example}.` },
    { key: 'webhookUrl', label: 'Signed URL', placeholder: 'https://…', hint: 'The webhook URL exactly as entered in Twilio (it signs that URL). Replies ask Twilio to report delivery to it, so set it to see delivery ticks.' },
  ];
}

export const kindOf = (channel: string) => CHANNEL_KINDS.find((k) => k.channel === channel);

export const SECRET_LABEL: Record<SecretName, string> = {
  appSecret: 'App secret',
  verifyToken: 'Verify token',
  accessToken: 'Access token',
  authToken: 'Auth token',
};

export const SECRETS_OF: Record<Provider, SecretName[]> = {
  meta: ['appSecret', 'verifyToken', 'accessToken'],
  twilio: ['authToken'],
  webchat: [],
};

/** A random token the admin can copy into Meta (verify tokens are chosen by us, not issued). */
export function randomToken(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
