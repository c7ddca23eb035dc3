/**
 * Trading an invitation code for a token: POST <server>/api/invitations/redeem with the code the
 * admin gave (`npm run admin -- user invite <name>`); the answer is the device's own token and
 * who it signs in as. Expected failures are values: a bad address, the server unreachable, the
 * code unknown, used or expired.
 */
import { apiBase } from './custody-api.ts';

export type Redeemed = { ok: true; token: string; user: string; role: string; team: string | null } | { ok: false; code: 'bad-url' | 'offline' | 'invalid-invitation' | 'too-many-attempts' | 'server-error'; message: string };

export async function redeemInvitation(serverUrl: string, code: string, fetchImpl: typeof fetch = fetch): Promise<Redeemed> {
  const base = apiBase(serverUrl);
  if (!base) return { ok: false, code: 'bad-url', message: 'The server address is not valid' };
  let response: Response;
  try {
    response = await fetchImpl(`${base}/api/invitations/redeem`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: code.slice(0, 40) }) });
  } catch {
    return { ok: false, code: 'offline', message: 'The server cannot be reached' };
  }
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok && typeof data.token === 'string' && typeof data.user === 'string') {
    return { ok: true, token: data.token, user: data.user, role: String(data.role ?? ''), team: typeof data.team === 'string' ? data.team : null };
  }
  if (data.error === 'invalid-invitation') return { ok: false, code: 'invalid-invitation', message: String(data.message ?? '') };
  if (data.error === 'too-many-attempts') return { ok: false, code: 'too-many-attempts', message: String(data.message ?? '') };
  return { ok: false, code: 'server-error', message: typeof data.message === 'string' ? data.message : `HTTP ${response.status}` };
}
