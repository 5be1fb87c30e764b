export { writeAudit, canonical, entryHash, type AuditInput, type AuditScope } from './writer';
export { redact } from './redact';
