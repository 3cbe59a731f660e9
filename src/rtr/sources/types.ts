// The shape every VRP source has. Anything that can list its VRPs and say when they changed can feed the
// RTR cache; numreg's own RPKI CA plugs in through PushSource.
import type { Aspa, RouterKey, Vrp } from '../records.js';

export interface SourceData {
  vrps: Vrp[];
  routerKeys?: RouterKey[];
  aspas?: Aspa[];
}

/** The public, simple form (e.g. the hosted CA's ROAs). */
export interface PushSource {
  readonly name: string;
  current(): Vrp[] | SourceData;
  /** calls cb whenever current() would return something new; returns an unsubscribe function */
  onChange(cb: () => void): (() => void) | void;
}

export interface SourceStatus {
  name: string;
  kind: string;
  /** records currently contributed */
  vrps: number;
  routerKeys: number;
  aspas: number;
  lastLoad?: Date;
  lastError?: string;
  dropped: Record<string, number>;
}

/** Internal form: records already as canonical keys (see records.ts). */
export interface KeySource {
  readonly name: string;
  keys(): readonly string[];
  onChange(cb: () => void): void;
  status(): SourceStatus;
  start(): Promise<void>;
  close(): void;
}
