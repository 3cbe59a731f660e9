/**
 * RDAP errors (RFC 9083 §6): an HTTP status plus an error object with errorCode, title and description.
 * Handlers throw RdapError; the route layer turns it into the response body.
 */
export class RdapError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly description: string[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${title}${description.length ? `: ${description.join(' ')}` : ''}`);
    this.name = 'RdapError';
  }
}

export const badRequest = (...description: string[]) => new RdapError(400, 'Bad Request', description);
export const notFound = (...description: string[]) => new RdapError(404, 'Not Found', description);
export const unauthorized = (...description: string[]) =>
  new RdapError(401, 'Unauthorized', description, { 'www-authenticate': 'Bearer realm="rdap"' });
export const forbidden = (...description: string[]) => new RdapError(403, 'Forbidden', description);
export const notImplemented = (...description: string[]) => new RdapError(501, 'Not Implemented', description);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new RdapError(429, 'Too Many Requests', [`Rate limit exceeded; retry after ${retryAfterSeconds} s.`], {
    'retry-after': String(retryAfterSeconds),
  });
