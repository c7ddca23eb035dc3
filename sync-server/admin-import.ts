/**
 * Onboarding a whole team from the admin CLI, with the same shared module as the extension
 * (shared/import: reading, header recognition, validation, duplicates, the plan):
 *   import <file.csv|file.xlsx|file.vcf> --owner <user> [--mapping <file.json>] [--duplicates skip|fill|create] [--accept-valid]
 *          [--header-row <n>] [--keep-unmapped]
 * It first says what it read (admin-import-summary.ts): the header row, the export recognised,
 * totals and notes left out, the columns that go nowhere, the grouping into customers.
 *   export --out <folder> [--include-sensitive]
 * An import is all or nothing: new cards and filled duplicates are written in ONE transaction
 * (Storage.importCards), each with its own seq, so the owner's devices get them on their next
 * sync; the cards to fill are read in that transaction, under the write lock, so a change a
 * running server accepts meanwhile is not overwritten. Rows with errors are listed; without --accept-valid nothing is imported while any row is
 * refused. Export writes every card as a JSON backup (shared/backup) and a register CSV.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as Y from 'yjs';
import { encodeBackup, type Backup } from '../shared/backup/backup-format.ts';
import type { CardView } from '../shared/card-types.ts';
import { readCard } from '../shared/card-read.ts';
import { toCsv } from '../shared/export/csv-write.ts';
import { registerTable } from '../shared/export/register-table.ts';
import { analyseImport } from '../shared/import/analyse.ts';
import { analysisSummary } from './admin-import-summary.ts';
import { isKnownTarget, mappingFromSaved, type SavedMapping } from '../shared/import/headers.ts';
import { buildPlan, fillSteps, seedOfRecord } from '../shared/import/plan.ts';
import { readImportFile } from '../shared/import/read-file.ts';
import type { DuplicateChoice, ExistingCard, Mapping } from '../shared/import/types.ts';
import { applyMutation } from '../shared/mutations.ts';
import type { Mutation, MutationContext } from '../shared/mutations-types.ts';
import { INDEX_ROW_VERSION, rowOfDoc } from './card-row.ts';
import { printable } from './printable.ts';
import type { Storage } from './storage/storage.ts';

/** Every stored card's state and owner, one card at a time. */
async function* allStates(storage: Storage): AsyncGenerator<{ id: string; state: Uint8Array; owner: string }> {
  for (const { id } of await storage.cardOwners()) {
    const card = await storage.getCard(id);
    if (card) yield { id, state: card.state, owner: card.owner };
  }
}

function viewOf(id: string, state: Uint8Array): CardView {
  const doc = new Y.Doc({ gc: true });
  Y.applyUpdate(doc, state);
  const view = readCard(doc, id);
  doc.destroy();
  return view;
}

async function existingCards(storage: Storage): Promise<ExistingCard[]> {
  const out: ExistingCard[] = [];
  for await (const { id, state } of allStates(storage)) {
    const view = viewOf(id, state);
    if (!view.fields.name) continue;
    const number = view.fields.businessNumber;
    out.push({
      id,
      name: String(view.fields.name),
      emails: view.contacts.map((c) => c.email).filter(Boolean),
      domains: Array.isArray(view.fields.domains) ? view.fields.domains : [],
      ...(typeof number === 'string' && number ? { businessNumber: number } : {}),
    });
  }
  return out;
}

async function readMapping(path: string, bytes: Uint8Array, fileName: string, headerRow: number | undefined): Promise<Mapping> {
  const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  let mapping: Mapping;
  if (Array.isArray(data)) mapping = data.map((item) => String(item ?? ''));
  else {
    const read = await readImportFile(bytes, fileName, headerRow !== undefined ? { headerRow } : {});
    if (!read.ok) throw new Error(read.message);
    if (read.value.kind !== 'table') throw new Error('A mapping applies to CSV and XLSX files only');
    mapping = mappingFromSaved(read.value.sheet.headers, data as SavedMapping);
  }
  const bad = mapping.find((target) => !isKnownTarget(target));
  if (bad !== undefined) throw new Error(`Unknown target "${bad}" in ${path}`);
  return mapping;
}

export interface AdminImportOptions {
  file: string;
  owner: string;
  mappingFile?: string;
  duplicates: DuplicateChoice;
  acceptValid: boolean;
  /** The sheet row to read as the header instead of the one found. */
  headerRow?: number;
  /** Keep the text of unmapped columns as a note on each card. */
  keepUnmapped?: boolean;
  now?: number;
  newId?: () => string;
}

export async function adminImport(storage: Storage, options: AdminImportOptions): Promise<string[]> {
  if (!(await storage.getUser(options.owner))) throw new Error(`No user "${options.owner}": add it first with "user add"`);
  const bytes = new Uint8Array(readFileSync(options.file));
  const fileName = basename(options.file);
  const mapping = options.mappingFile ? await readMapping(options.mappingFile, bytes, fileName, options.headerRow) : undefined;
  const analysis = await analyseImport(bytes, fileName, {
    existing: await existingCards(storage),
    ...(mapping ? { mapping } : {}),
    ...(options.headerRow !== undefined ? { headerRow: options.headerRow } : {}),
    ...(options.keepUnmapped ? { keepUnmapped: true } : {}),
  });
  if (!analysis.ok) throw new Error(analysis.message);
  const a = analysis.value;
  if (a.mappingProblem) {
    const others = (a.candidates ?? []).filter((c) => c.row !== a.headerRow).slice(0, 6).map((c) => printable(`  row ${c.row}: ${c.text}`));
    throw new Error([`No column is mapped to the customer name in row ${a.headerRow ?? 1}, read as the header (${printable(a.headers.filter(Boolean).join(', '))}).`, 'Pass --header-row <n> to read another row as the header, or give a --mapping file. The first rows:', ...others].join('\n'));
  }
  const lines: string[] = analysisSummary(a);
  // Cell values come from the file: escaped, so a newline in a cell cannot print as a line of its own.
  for (const error of a.errors) lines.push([`row ${error.row}`, String(error.column), String(error.value), String(error.reason)].map(printable).join('\t'));
  if (a.errors.length > 0 && !options.acceptValid) {
    throw new Error([...lines, `${a.errors.length} row(s) refused; nothing was imported. Fix them, or pass --accept-valid to import the other ${a.records.length} card(s).`].join('\n'));
  }
  const plan = buildPlan(fileName, a.records, a.duplicates, { all: options.duplicates });
  const now = options.now ?? Date.now();
  const mctx: MutationContext = { actor: options.owner, now, newId: options.newId ?? (() => crypto.randomUUID()) };
  const cards: { id: string; owner: string; state: Uint8Array; row: string; rowVersion: number }[] = [];
  const apply = (doc: Y.Doc, mutation: Mutation, cardId: string, row: number) => {
    const result = applyMutation(doc, mutation, mctx, cardId);
    if (!result.ok) throw new Error(`row ${row}: ${result.message}; nothing was imported`);
  };
  for (const record of plan.creates) {
    const id = mctx.newId();
    const doc = new Y.Doc({ gc: true });
    const seed = seedOfRecord(record, now);
    apply(doc, seed.create, id, record.row);
    for (const step of seed.steps ?? []) apply(doc, { ...step, cardId: id } as Mutation, id, record.row);
    cards.push({ id, owner: options.owner, state: Y.encodeStateAsUpdate(doc), row: rowOfDoc(doc, id, now), rowVersion: INDEX_ROW_VERSION });
    doc.destroy();
  }
  // The filled cards are read and written under the write lock: a change a running server
  // accepts meanwhile waits for this transaction, and is not overwritten by the fill.
  const filledCount = await storage.transaction(async (tx) => {
    const filled = new Map<string, { doc: Y.Doc; owner: string }>();
    for (const fill of plan.fills) {
      let card = filled.get(fill.cardId);
      if (!card) {
        const stored = await tx.getCard(fill.cardId);
        if (!stored) throw new Error(`row ${fill.record.row}: the matched card is gone; nothing was imported`);
        const doc = new Y.Doc({ gc: true });
        Y.applyUpdate(doc, stored.state);
        card = { doc, owner: stored.owner };
        filled.set(fill.cardId, card);
      }
      for (const step of fillSteps(readCard(card.doc, fill.cardId), fill.record, plan.reason)) apply(card.doc, { ...step, cardId: fill.cardId } as Mutation, fill.cardId, fill.record.row);
    }
    const written = [...cards];
    for (const [id, { doc, owner }] of filled) {
      // Filling never moves a card: it keeps its owner.
      written.push({ id, owner, state: Y.encodeStateAsUpdate(doc), row: rowOfDoc(doc, id, now), rowVersion: INDEX_ROW_VERSION });
      doc.destroy();
    }
    await tx.importCards(written);
    return filled.size;
  });
  lines.push(`imported ${plan.creates.length} new card(s) for ${options.owner}, filled ${filledCount}, skipped ${plan.skipped.length} duplicate(s), refused ${a.errors.length} row(s)`);
  return lines;
}

export async function adminExport(storage: Storage, outDir: string, includeSensitive: boolean, now = Date.now()): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const backup: Backup = { createdAt: now, source: 'server', cards: [], settings: {} };
  const views: CardView[] = [];
  for await (const { id, state, owner } of allStates(storage)) {
    backup.cards.push({ id, state, owner });
    const view = viewOf(id, state);
    if (view.fields.name) views.push(view);
  }
  views.sort((a, b) => String(a.fields.name).localeCompare(String(b.fields.name)));
  // What leaves the archive is audited before it is written, as a device's export is (issue #25).
  await storage.audit([{ at: now, user: 'admin-cli', token: '', action: 'backup', cardId: null, detail: `json + csv${includeSensitive ? ' with sensitive fields' : ''}: all ${backup.cards.length} card(s) to ${outDir}` }]);
  const stamp = new Date(now).toISOString().slice(0, 10);
  const backupPath = join(outDir, `cards-backup-${stamp}.json`);
  writeFileSync(backupPath, encodeBackup(backup));
  const table = registerTable(views, new Map(), { language: 'zh-CN', includeSensitive });
  const csvPath = join(outDir, `register-${stamp}.csv`);
  writeFileSync(csvPath, toCsv([table.header, ...table.rows]));
  const lines = [`wrote ${backup.cards.length} card(s) to ${backupPath}`, `wrote the register (${views.length} line(s)) to ${csvPath}`];
  if (table.leftOut.length > 0) lines.push(`left out sensitive column(s): ${table.leftOut.join(', ')} (pass --include-sensitive to include them)`);
  return lines;
}
