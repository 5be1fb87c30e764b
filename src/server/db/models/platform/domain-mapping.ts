import { Schema, type InferSchemaType } from 'mongoose';

/** Custom domain -> organisation. Only `verified` mappings resolve or get a certificate. */
export const domainMappingSchema = new Schema(
  {
    domain: { type: String, required: true, unique: true, lowercase: true },
    orgSlug: { type: String, required: true, index: true },
    verified: { type: Boolean, default: false },
    verifiedAt: Date,
    tlsCertPath: String,
    /** Expected in a TXT record at `_customer-ops-verify.<domain>` (or the domain itself). */
    dnsVerificationToken: { type: String, required: true },
    lastCheckAt: Date,
    lastCheckError: String,
  },
  { timestamps: true, collection: 'domain_mappings' },
);

export type DomainMappingDoc = InferSchemaType<typeof domainMappingSchema>;
