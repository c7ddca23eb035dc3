/**
 * The full-backup file, written by the extension (every card the user holds, settings and
 * reminders' snooze state) and by the admin CLI (every card on the server, with its owner).
 * A card is its whole Yjs state, so fields, people, timeline, ledger and every change record
 * come back exactly; restoring merges states (CRDT), so restoring twice changes nothing.
 *
 *   { "format": "customer-cards-backup", "version": 1, "createdAt": <epoch ms>, "source": "extension" | "server",
 *     "cards": [{ "id": <uuid>, "state": <base64 Yjs update>, "owner"?: <user> }],
 *     "settings": { <key>: <JSON value> } }
 */
import { isCardId } from '../card-id.ts';
import { importError, type ImportResult } from '../import/errors.ts';
import { base64ToBytes, bytesToBase64 } from './base64.ts';

export const BACKUP_FORMAT = 'customer-cards-backup';
export const BACKUP_VERSION = 1;

export interface BackupCard {
  id: string;
  state: Uint8Array;
  owner?: string;
}

export interface Backup {
  createdAt: number;
  source: 'extension' | 'server';
  cards: BackupCard[];
  settings: Record<string, unknown>;
}

export function encodeBackup(backup: Backup): string {
  const cards = backup.cards.map((card) => (card.owner === undefined ? { id: card.id, state: bytesToBase64(card.state) } : { id: card.id, state: bytesToBase64(card.state), owner: card.owner }));
  // One card per line: a large backup stays readable and diffable.
  const head = JSON.stringify({ format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: backup.createdAt, source: backup.source, settings: backup.settings });
  return `${head.slice(0, -1)},"cards":[\n${cards.map((card) => JSON.stringify(card)).join(',\n')}\n]}\n`;
}

export function decodeBackup(text: string): ImportResult<Backup> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return importError('bad-backup', 'This is not a backup file (it is not JSON)');
  }
  const object = data as Record<string, unknown> | null;
  if (!object || object.format !== BACKUP_FORMAT) return importError('bad-backup', 'This is not a customer cards backup file');
  if (object.version !== BACKUP_VERSION) return importError('bad-backup', `This backup was written by another version (${String(object.version)}); this one reads version ${BACKUP_VERSION}`);
  if (!Array.isArray(object.cards)) return importError('bad-backup', 'The backup lists no cards');
  const cards: BackupCard[] = [];
  for (const [i, raw] of (object.cards as unknown[]).entries()) {
    const card = raw as Record<string, unknown> | null;
    const state = typeof card?.state === 'string' ? base64ToBytes(card.state) : undefined;
    if (!card || !isCardId(card.id) || !state) return importError('bad-backup', `Card ${i + 1} of the backup is damaged; nothing was restored`, { card: i + 1 });
    cards.push(typeof card.owner === 'string' ? { id: card.id, state, owner: card.owner } : { id: card.id, state });
  }
  const settings = object.settings && typeof object.settings === 'object' && !Array.isArray(object.settings) ? (object.settings as Record<string, unknown>) : {};
  return { ok: true, value: { createdAt: typeof object.createdAt === 'number' ? object.createdAt : 0, source: object.source === 'server' ? 'server' : 'extension', cards, settings } };
}
