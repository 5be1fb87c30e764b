import { AppError } from '../../errors';

/**
 * Template bodies as Meta reads them: variables are `{{1}}`, `{{2}}`... numbered consecutively from 1
 * (a number may repeat), never at the very start or end of the body, each with an example value.
 * Pure functions: the admin form's preview, the service's validation and the send path share them.
 */
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Problems with a body, in words (empty when it is valid). */
export function bodyProblems(body: string): string[] {
  const problems: string[] = [];
  const numbers = new Set<number>();
  for (const [whole, inner] of body.matchAll(PLACEHOLDER)) {
    const key = (inner ?? '').trim();
    if (!/^\d{1,2}$/.test(key) || Number(key) < 1) problems.push(`“${whole}” is not a variable: write {{1}}, {{2}}…`);
    else numbers.add(Number(key));
  }
  const count = numbers.size;
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((n) => !numbers.has(n));
  if (missing.length)
    problems.push(`Variables must be numbered consecutively from {{1}}: ${missing.map((n) => `{{${n}}}`).join(', ')} missing`);
  const trimmed = body.trim();
  if (/^\{\{[^{}]*\}\}/.test(trimmed) || /\{\{[^{}]*\}\}$/.test(trimmed))
    problems.push('A template cannot start or end with a variable (Meta refuses it): add words around it');
  return problems;
}

/** How many distinct variables the body has (`{{1}}`..`{{n}}`); assumes a valid body. */
export function variableCount(body: string): number {
  const numbers = new Set<number>();
  for (const [, inner] of body.matchAll(PLACEHOLDER)) if (/^\s*\d+\s*$/.test(inner ?? '')) numbers.add(Number(inner));
  return numbers.size === 0 ? 0 : Math.max(...numbers);
}

/** The body with `{{n}}` replaced by values[n-1]; unfilled ones stay visible (for previews). */
export function fillBody(body: string, values: readonly string[]): string {
  return body.replace(PLACEHOLDER, (whole, inner: string) => {
    const v = /^\s*\d+\s*$/.test(inner) ? values[Number(inner) - 1] : undefined;
    return v && v.trim() ? v : whole;
  });
}

/**
 * The text a customer receives: every variable must be filled (Meta refuses empty parameters), so a
 * missing one is an error naming it, with its label when the template has one.
 */
export function renderForSend(body: string, labels: readonly string[], values: readonly string[]): string {
  const count = variableCount(body);
  if (values.length > count)
    throw new AppError('BAD_REQUEST', `This template has ${count} variable(s), ${values.length} value(s) were given`);
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !values[i]?.trim());
  if (missing.length) {
    const names = missing.map((i) => `{{${i + 1}}}${labels[i] ? ` (${labels[i]})` : ''}`);
    throw new AppError('BAD_REQUEST', `Fill in ${names.join(', ')} before sending the template`);
  }
  return fillBody(body, values.map((v) => v.trim()));
}
