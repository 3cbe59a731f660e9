import type { DelegatedHeader, DelegatedRecord, RecordType } from './types.js';

export function formatHeader(h: Omit<DelegatedHeader, 'line'>): string {
  return [h.version, h.registry, h.serial, String(h.records), h.startDate, h.endDate, h.utcOffset].join('|');
}

export function formatSummary(registry: string, type: RecordType, count: number): string {
  return `${registry}|*|${type}|*|${count}|summary`;
}

export function formatRecord(r: Pick<DelegatedRecord, 'registry' | 'cc' | 'type' | 'startText' | 'value' | 'date' | 'status' | 'opaqueId'>): string {
  const fields = [r.registry, r.cc, r.type, r.startText, r.value, r.date, r.status];
  if (r.opaqueId !== null) fields.push(r.opaqueId);
  return fields.join('|');
}
