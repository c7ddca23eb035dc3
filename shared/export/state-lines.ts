/**
 * A card's line of the register export (registerLine) straight from its stored Yjs state. Pure:
 * the transfer page builds lines with it from the front of the list while its file worker
 * builds from the end back (extension/ui/export/register-export.ts).
 */
import { readCardState } from '../card-read.ts';
import type { OutCell } from './csv-write.ts';
import { registerLine, type ExportColumn, type RegisterFacts } from './register-table.ts';

/** The card's line, or null for a card without a name (nothing to export). */
export function lineOfState(id: string, state: Uint8Array, facts: RegisterFacts | undefined, columns: readonly ExportColumn[]): OutCell[] | null {
  const card = readCardState(state, id);
  return card.fields.name ? registerLine(card, facts, columns) : null;
}
