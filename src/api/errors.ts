import { ZodError } from 'zod';
import { ResourceParseError } from '../core/index.js';
import { RegistryError } from '../registry/errors.js';

export interface ApiErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

/** Maps any thrown value to an HTTP status and a JSON body; unknown errors become 500 without internals. */
export function toApiError(error: unknown): { status: number; body: ApiErrorBody } {
  if (error instanceof RegistryError) {
    return { status: error.httpStatus, body: { error: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
  }
  if (error instanceof ZodError) {
    const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0];
    return {
      status: 400,
      body: { error: 'invalid-input', message: first ? `${first.path || 'input'}: ${first.message}` : 'invalid input', details: issues },
    };
  }
  if (error instanceof ResourceParseError) return { status: 400, body: { error: 'invalid-input', message: error.message } };
  const status = (error as { statusCode?: number })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, body: { error: 'invalid-request', message: (error as Error).message } };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error; the event was logged' } };
}
