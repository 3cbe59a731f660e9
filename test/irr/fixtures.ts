import { readFileSync } from 'node:fs';

export const SAMPLES_DIR = '/work/shared/data/samples';

/** The IRRd fixture file split at its "# SAMPLE_<NAME>" headers: name -> object text. */
export function irrdSamples(): Map<string, string> {
  const text = readFileSync(`${SAMPLES_DIR}/rpsl-samples-irrd-fixtures.txt`, 'utf8');
  const out = new Map<string, string>();
  const parts = text.split(/^# (SAMPLE_[A-Z0-9_]+)\n/m);
  for (let i = 1; i < parts.length; i += 2) {
    const body = parts[i + 1].replace(/\n# =====.*$/s, '').replace(/\n+$/, '\n');
    out.set(parts[i], body);
  }
  return out;
}
