/**
 * Sign-in without a terminal: an admin invites a user (`user invite <name>`) and gets a short
 * one-time code valid for a day; the rep types it in the extension's Settings, which trades it
 * (POST /api/invitations/redeem, no token yet) for a token of the device's own. Only the code's
 * hash is stored; a code is taken on its first use, valid or expired. Codes are 12 characters of
 * Crockford's base32 (60 bits): guessing one within its day is out of reach.
 */
import { randomBytes } from 'node:crypto';
import { hashToken, newToken } from './auth.ts';
import type { Storage, User } from '../storage/storage.ts';

export const INVITATION_TTL_MS = 24 * 60 * 60 * 1000;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 12;

export function newInvitationCode(): string {
  const bytes = randomBytes(LENGTH);
  const chars = [...bytes].map((byte) => ALPHABET[byte % 32]!).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** A code as typed ("abcd efgh ijkl", with O for 0 or I for 1) in its one written form, or undefined. */
export function normaliseInvitationCode(input: string): string | undefined {
  if (typeof input !== 'string' || input.length > 40) return undefined;
  const chars = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (chars.length !== LENGTH || [...chars].some((c) => !ALPHABET.includes(c))) return undefined;
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

export async function inviteUser(storage: Storage, name: string, now = Date.now()): Promise<{ code: string; expiresAt: number }> {
  const user = await storage.getUser(name);
  if (!user) throw new Error(`No user "${name}": add it first with "user add"`);
  if (user.disabled) throw new Error(`The user "${name}" is disabled`);
  const code = newInvitationCode();
  const expiresAt = now + INVITATION_TTL_MS;
  await storage.addInvitation(hashToken(code), name, expiresAt);
  return { code, expiresAt };
}

export type Redeemed = { ok: true; token: string; user: User } | { ok: false; code: 'invalid-invitation'; message: string };

const INVALID: Redeemed = { ok: false, code: 'invalid-invitation', message: 'This invitation code is unknown, used or expired: ask your admin for a new one' };

export async function redeemInvitation(storage: Storage, input: string, now = Date.now()): Promise<Redeemed> {
  const code = normaliseInvitationCode(input);
  if (!code) return INVALID;
  const name = await storage.takeInvitation(hashToken(code), now);
  const user = name ? await storage.getUser(name) : undefined;
  if (!user || user.disabled) return INVALID;
  const token = newToken();
  await storage.addToken(hashToken(token), user.name);
  return { ok: true, token, user };
}
