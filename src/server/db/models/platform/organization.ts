import { Schema, type InferSchemaType } from 'mongoose';
import { deletePaths, ORG_SECRET_PATHS } from '../../../crypto/secret-fields';
import { SLUG_RE } from '../../../tenancy/slug';
import { ORG_STATUSES } from './org-constants';
import {
  authSchema,
  brandingSchema,
  channelTypeSchema,
  emailSchema,
  featuresSchema,
  metaSchema,
  planSchema,
  roleSchema,
  storageSchema,
  twilioSchema,
  usageSchema,
} from './org-subdocs';

// Secrets never leave through serialisation, whatever code path calls toJSON/toObject.
const hideSecrets = { transform: (_doc: unknown, ret: Record<string, unknown>) => deletePaths(ret, ORG_SECRET_PATHS) };

export const organizationSchema = new Schema(
  {
    slug: { type: String, required: true, unique: true, match: SLUG_RE },
    name: { type: String, required: true, trim: true, maxlength: 120 },
    status: { type: String, enum: ORG_STATUSES, default: 'provisioning', index: true },
    statusReason: String,
    dbName: { type: String, required: true, unique: true },
    /** Verified custom domains (source of truth: DomainMapping). */
    domains: { type: [String], default: [] },
    auth: { type: authSchema, default: () => ({}) },
    twilio: { type: twilioSchema, default: () => ({}) },
    branding: { type: brandingSchema, required: true },
    storage: { type: storageSchema, default: () => ({}) },
    email: { type: emailSchema, default: () => ({}) },
    meta: { type: metaSchema, default: () => ({}) },
    roles: { type: [roleSchema], default: [] },
    channelTypes: { type: [channelTypeSchema], default: [] },
    features: { type: featuresSchema, default: () => ({}) },
    plan: { type: planSchema, required: true },
    usage: { type: usageSchema, default: () => ({}) },
    /** Bumped on every configuration change, so caches can tell stale copies apart. */
    configVersion: { type: Number, default: 1 },
    createdBy: String,
  },
  { timestamps: true, collection: 'organizations', toJSON: hideSecrets, toObject: hideSecrets },
);
organizationSchema.index({ name: 1 });

export type OrganizationDoc = InferSchemaType<typeof organizationSchema>;
