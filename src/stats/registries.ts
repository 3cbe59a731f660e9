/**
 * The Internet registries numreg knows by name: IANA and the five RIRs, with the names they use in IANA's
 * registry files ("RIPE NCC") and in statistics exchange files ("ripencc").
 */
export interface KnownRegistry {
  handle: string;
  /** Name in statistics exchange files (registry column). */
  stats: string;
  /** Name in IANA's registry files ("Designation" column). */
  iana: string;
  name: string;
  role: 'iana' | 'rir';
}

export const IANA: KnownRegistry = {
  handle: 'IANA', stats: 'iana', iana: 'IANA', name: 'Internet Assigned Numbers Authority', role: 'iana',
};

export const RIRS: readonly KnownRegistry[] = [
  { handle: 'APNIC', stats: 'apnic', iana: 'APNIC', name: 'Asia Pacific Network Information Centre', role: 'rir' },
  { handle: 'ARIN', stats: 'arin', iana: 'ARIN', name: 'American Registry for Internet Numbers', role: 'rir' },
  { handle: 'RIPE-NCC', stats: 'ripencc', iana: 'RIPE NCC', name: 'RIPE Network Coordination Centre', role: 'rir' },
  { handle: 'LACNIC', stats: 'lacnic', iana: 'LACNIC', name: 'Latin America and Caribbean Network Information Centre', role: 'rir' },
  { handle: 'AFRINIC', stats: 'afrinic', iana: 'AFRINIC', name: 'African Network Information Centre', role: 'rir' },
];

export const RIR_STATS_NAMES: readonly string[] = RIRS.map((r) => r.stats);

export function rirByIanaName(name: string): KnownRegistry | undefined {
  return RIRS.find((r) => r.iana === name);
}

export function rirByStatsName(name: string): KnownRegistry | undefined {
  return RIRS.find((r) => r.stats === name);
}
