/**
 * Which failures mean the store cannot be reached or cannot take writes just now (PostgreSQL
 * away or refusing connections, a full disk), as opposed to a fault in one request. Devices are
 * told so with close code STORE_UNAVAILABLE: nothing was stored, they keep their changes and
 * send them again once they can sign in.
 */

/**
 * SQLSTATEs: 08 connection exception, 28 the server's login refused, 3D000 the database gone,
 * 53 insufficient resources (disk full, too many connections), 57P operator intervention
 * (shutdown, cannot connect now), 55000 with "not currently accepting connections" (closed to
 * connections by its administrator).
 */
const POSTGRES_STATES = ['08', '28', '3D000', '53', '57P'];
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND']);
/** better-sqlite3 codes (extended ones start with these): the disk is full, unreadable or read-only, the file locked too long. */
const SQLITE_CODES = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_BUSY'];
/** What pg says when a pooled connection is lost or cannot be made (these errors have no code). */
const POSTGRES_MESSAGES = [/^Connection terminated/, /timeout exceeded when trying to connect/, /Client has encountered a connection error/, /connect ECONNREFUSED/];

export const STORE_UNAVAILABLE_MESSAGE = 'The server’s database is unavailable: nothing was stored. Your changes stay on this device and are sent when it is back';

export function storeUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (/^[0-9A-Z]{5}$/.test(code) && POSTGRES_STATES.some((state) => code.startsWith(state))) return true;
    if (code === '55000' && typeof message === 'string' && message.includes('not currently accepting connections')) return true;
    if (NETWORK_CODES.has(code)) return true;
    if (SQLITE_CODES.some((prefix) => code.startsWith(prefix))) return true;
  }
  return typeof message === 'string' && POSTGRES_MESSAGES.some((pattern) => pattern.test(message));
}
