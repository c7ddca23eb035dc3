import { describe, expect, it } from 'vitest';
import { storeUnavailable } from './store-errors.ts';

const failure = (code: string | undefined, message = 'failed') => Object.assign(new Error(message), code === undefined ? {} : { code });

describe('storeUnavailable: the store cannot be reached or cannot take writes just now', () => {
  it('recognises PostgreSQL going away, refusing connections or running out of room', () => {
    for (const code of ['08006', '08001', '57P01', '57P03', '53100', '53300', '3D000', '28P01']) expect(storeUnavailable(failure(code)), code).toBe(true);
    expect(storeUnavailable(failure('55000', 'database "cards" is not currently accepting connections'))).toBe(true);
    expect(storeUnavailable(failure(undefined, 'Connection terminated unexpectedly'))).toBe(true);
    expect(storeUnavailable(failure('ECONNREFUSED'))).toBe(true);
  });

  it('recognises SQLite with a full or failing disk', () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_READONLY', 'SQLITE_BUSY']) expect(storeUnavailable(failure(code)), code).toBe(true);
  });

  it('does not take a fault of the request or of the code for an outage', () => {
    for (const code of ['23505', '22P02', '42601', '55000', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'ERR_INVALID_ARG_TYPE']) expect(storeUnavailable(failure(code)), code).toBe(false);
    expect(storeUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(storeUnavailable(undefined)).toBe(false);
    expect(storeUnavailable('Connection terminated')).toBe(false);
  });
});
