import type { CSSProperties } from 'react';

/**
 * The organisation's colours as CSS custom properties (`primaryForeground` -> `--color-primary-
 * foreground`), for the `style` of the tenant layout's root element. Only hex colours pass: a
 * branding value can never inject other CSS.
 */
const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function brandStyle(colors: Record<string, unknown> | null | undefined): CSSProperties {
  const style: Record<string, string> = {};
  for (const [key, value] of Object.entries(colors ?? {})) {
    if (/^[a-zA-Z]+$/.test(key) && typeof value === 'string' && HEX.test(value)) style[`--color-${kebab(key)}`] = value;
  }
  return style as CSSProperties;
}
