'use client';

import { BRAND_COLORS } from '@/server/db/models/platform/org-constants';
import { inputClass } from './ui';

const label = (c: string) => c.replace(/([A-Z])/g, ' $1').replace(/^./, (s) => s.toUpperCase());

/** The 12 brand colours, each a colour picker plus its hex value (typed or picked). */
export function ColorFields({
  colors,
  onChange,
  only,
}: {
  colors: Record<string, string>;
  onChange: (c: Record<string, string>) => void;
  only?: readonly string[];
}) {
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
      {BRAND_COLORS.filter((c) => !only || only.includes(c)).map((c) => (
        <div key={c}>
          <label htmlFor={`color-${c}`} className="block text-sm font-medium">
            {label(c)}
          </label>
          <div className="mt-1 flex gap-2">
            <input
              type="color"
              aria-label={`${label(c)} picker`}
              value={colors[c] ?? '#000000'}
              onChange={(e) => onChange({ ...colors, [c]: e.target.value })}
              className="h-9 w-11 cursor-pointer rounded border"
            />
            <input
              id={`color-${c}`}
              className={inputClass}
              value={colors[c] ?? ''}
              pattern="#[0-9a-fA-F]{6}"
              onChange={(e) => onChange({ ...colors, [c]: e.target.value })}
            />
          </div>
        </div>
      ))}
    </div>
  );
}
