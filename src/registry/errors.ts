/**
 * Domain errors of the registry. Every entry point (CLI, REST, RPSL updates) maps them to its own
 * error shape; `code` is stable and machine-readable, `message` says exactly what was wrong.
 */
export type RegistryErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'forbidden'
  | 'unauthenticated'
  | 'policy-denied';

const HTTP_STATUS: Record<RegistryErrorCode, number> = {
  'invalid-input': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'policy-denied': 422,
};

export class RegistryError extends Error {
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'RegistryError';
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

export const invalidInput = (message: string, details?: Record<string, unknown>) =>
  new RegistryError('invalid-input', message, details);
export const notFound = (message: string) => new RegistryError('not-found', message);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new RegistryError('conflict', message, details);
export const forbidden = (message: string) => new RegistryError('forbidden', message);
