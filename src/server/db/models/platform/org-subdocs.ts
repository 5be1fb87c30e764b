import { Schema } from 'mongoose';
import { AUTH_METHODS, BRAND_COLORS, DEFAULT_BRAND_COLORS, HEX_COLOR_RE, ORG_FEATURES, PLAN_TIERS } from './org-constants';

/** Sub-documents of Organization (chat seed, section 03). Fields named *Secret/*Token/*Key hold ciphertext. */
const sub = { _id: false } as const;

const oidc = new Schema(
  {
    provider: { type: String, enum: ['okta', 'auth0', 'generic'], default: 'generic' },
    issuer: String,
    clientId: String,
    clientSecret: String, // encrypted
    scopes: { type: [String], default: ['openid', 'email', 'profile'] },
  },
  sub,
);

const saml = new Schema(
  {
    entryPoint: String, // IdP SSO URL
    idpIssuer: String,
    idpCert: String, // public certificate: not a secret
    spEntityId: String,
    privateKey: String, // encrypted SP signing key
    wantAssertionsSigned: { type: Boolean, default: true },
  },
  sub,
);

export const authSchema = new Schema(
  {
    method: { type: String, enum: AUTH_METHODS, default: 'password' },
    /** Role given to users created on first SSO sign-in. */
    defaultRole: { type: String, default: 'Member' },
    jwtSecret: String, // encrypted; per-org session signing secret
    oidc: { type: oidc, default: undefined },
    saml: { type: saml, default: undefined },
  },
  sub,
);

export const twilioSchema = new Schema(
  {
    enabled: { type: Boolean, default: false },
    flexEnabled: { type: Boolean, default: false },
    accountSid: String,
    authToken: String, // encrypted
    phoneNumber: String,
    whatsappNumber: String,
    flexFlowSid: String,
  },
  sub,
);

const colorFields = Object.fromEntries(
  BRAND_COLORS.map((c) => [c, { type: String, match: HEX_COLOR_RE, default: DEFAULT_BRAND_COLORS[c] }]),
);

export const brandingSchema = new Schema(
  {
    appName: { type: String, required: true },
    logo: String, // URL or data: URL
    favicon: String,
    colors: { type: new Schema(colorFields, sub), default: () => ({}) },
  },
  sub,
);

export const storageSchema = new Schema(
  {
    provider: { type: String, enum: ['default', 's3', 'spaces'], default: 'default' },
    bucket: String,
    region: String,
    endpoint: String,
    accessKeyId: String,
    secretAccessKey: String, // encrypted
    publicBaseUrl: String,
  },
  sub,
);

export const emailSchema = new Schema(
  {
    provider: { type: String, enum: ['default', 'sendgrid', 'smtp'], default: 'default' },
    fromName: String,
    fromEmail: String,
    replyTo: String,
    apiKey: String, // encrypted (SendGrid)
    smtpUrl: String, // without credentials
    smtpPassword: String, // encrypted
  },
  sub,
);

export const metaSchema = new Schema(
  { appId: String, appSecret: String, accessToken: String, verifyToken: String }, // last three encrypted
  sub,
);

export const roleSchema = new Schema(
  {
    name: { type: String, required: true },
    level: { type: Number, required: true, min: 0, max: 100 },
    description: String,
    /** CASL rules with placeholders (`${user.id}` ...), resolved by a reviver at ability-build time. */
    permissions: { type: [Schema.Types.Mixed], default: [] },
    system: { type: Boolean, default: false },
  },
  sub,
);

export const channelTypeSchema = new Schema(
  {
    key: { type: String, required: true, match: /^[a-z][a-z0-9-]{0,31}$/ },
    label: { type: String, required: true },
    icon: String,
    autoCreate: { type: Boolean, default: false },
  },
  sub,
);

export const featuresSchema = new Schema(Object.fromEntries(ORG_FEATURES.map((f) => [f, { type: Boolean, default: true }])), sub);

export const planSchema = new Schema(
  {
    tier: { type: String, enum: PLAN_TIERS, default: 'free' },
    maxUsers: { type: Number, required: true, min: 1 },
    maxStorageMB: { type: Number, required: true, min: 1 },
  },
  sub,
);

export const usageSchema = new Schema(
  {
    users: { type: Number, default: 0 },
    storageBytes: { type: Number, default: 0 },
    conversations: { type: Number, default: 0 },
    reconciledAt: Date,
  },
  sub,
);
