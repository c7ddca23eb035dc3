/**
 * The import screen (dashboard → Import): pick a file; it is read in a worker (the page stays
 * responsive); see its encoding (and change it), its columns mapped onto the field catalogue
 * (recognised, changed by hand, or from a saved mapping), a preview of the first cards, the
 * refused rows (downloadable) and the duplicates with a choice per row or for all; then import
 * all accepted rows at once, with a progress bar and a cancel that leaves nothing behind.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { toCsv } from '../../../shared/export/csv-write.ts';
import { errorsCsvRows, type Analysis } from '../../../shared/import/analyse.ts';
import { findDuplicates } from '../../../shared/import/duplicates.ts';
import { IMPORT_LIMITS } from '../../../shared/import/errors.ts';
import { mappingFromSaved, savedFromMapping, type SavedMapping } from '../../../shared/import/headers.ts';
import { buildPlan } from '../../../shared/import/plan.ts';
import { TEXT_ENCODINGS, type TextEncodingName } from '../../../shared/import/text-decode.ts';
import { ensurePinyin } from '../../../shared/pinyin.ts';
import type { DuplicateChoice, Mapping } from '../../../shared/import/types.ts';
import type { ImportProgress } from '../../store/api.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { errorMessage } from '../../i18n/index.ts';
import { useLanguage } from '../common/use-language.tsx';
import { useStore } from '../common/use-store.ts';
import { CSV_TYPE, downloadFile } from '../export/download.ts';
import { analyseInWorker, stopWorker, warmWorker } from './file-worker-client.ts';
import { importErrorText, noteText } from './import-messages.ts';
import { ImportDuplicates, ImportErrors, ImportPreview } from './ImportReview.tsx';
import { useCustodyApi, useMe } from '../common/use-custody.ts';
import { queueCustodyRequests } from './import-owner.ts';
import type { CustodyRequest } from '../../store/custody-queue.ts';
import { HandoverProgress } from './HandoverProgress.tsx';
import { ImportOwner } from './ImportOwner.tsx';
import { useNewCardAccess } from '../common/card-access.tsx';
import { ImportHeldBack } from './ImportHeldBack.tsx';
import { applyHeldBack, heldBackColumns } from './import-rules.ts';
import { CustomerGrouping, HeaderRowChoice, UnmappedColumns } from './ImportSheetFacts.tsx';
import { MappingTable } from './MappingTable.tsx';
import { workerBuiltCards } from './worker-builds.ts';

const MAPPINGS_SETTING = 'importMappings';

interface PickedFile {
  name: string;
  bytes: Uint8Array;
}

type Stage = { kind: 'pick' } | { kind: 'reading' } | { kind: 'review' } | { kind: 'importing'; progress: ImportProgress } | { kind: 'done'; message: string };

export function ImportPanel() {
  const store = useStore();
  const { language, t } = useLanguage();
  const [stage, setStage] = useState<Stage>({ kind: 'pick' });
  const [file, setFile] = useState<PickedFile>();
  const [analysis, setAnalysis] = useState<Analysis>();
  const [failure, setFailure] = useState<string>();
  const [all, setAll] = useState<DuplicateChoice>('skip');
  const [rows, setRows] = useState<Record<number, DuplicateChoice>>({});
  const [saved, setSaved] = useState<SavedMapping[]>([]);
  const [mappingName, setMappingName] = useState('');
  const [info, setInfo] = useState('');
  const abort = useRef<AbortController | undefined>(undefined);
  const reading = useRef(0);

  useEffect(() => {
    void store.getSetting<SavedMapping[]>(MAPPINGS_SETTING).then((list) => setSaved(Array.isArray(list) ? list : []));
  }, [store]);
  useEffect(() => {
    // The worker and exceljs load while the user picks a file, not after; and the page's pinyin
    // converter, which the import's rows need (its thread is idle while the worker reads the file).
    warmWorker();
    void ensurePinyin();
    return () => stopWorker();
  }, []);

  async function analyse(picked: PickedFile, options: { encoding?: TextEncodingName; mapping?: Mapping; headerRow?: number; keepUnmapped?: boolean }): Promise<void> {
    const attempt = ++reading.current;
    setStage({ kind: 'reading' });
    setFailure(undefined);
    setInfo('');
    try {
      const existing = await store.importCandidates(false);
      const result = await analyseInWorker({ bytes: picked.bytes, fileName: picked.name, existing, ...options });
      if (attempt !== reading.current) return;
      if (!result.ok) {
        setFailure(importErrorText(t, result));
        setAnalysis(undefined);
        setStage({ kind: 'pick' });
        return;
      }
      const value = result.value;
      // 统一编号 is read from every card only when the file has one.
      if (value.records.some((record) => typeof record.fields.businessNumber === 'string')) {
        value.duplicates = findDuplicates(value.records, await store.importCandidates(true));
      }
      if (attempt !== reading.current) return;
      setAnalysis(value);
      if (!options.mapping) setAll(value.kind === 'vcf' ? 'fill' : 'skip');
      setRows({});
      setStage({ kind: 'review' });
    } catch (error) {
      if (attempt !== reading.current) return;
      setFailure(t('importErrors.worker', { message: error instanceof Error ? error.message : String(error) }));
      setStage({ kind: 'pick' });
    }
  }

  async function pick(input: File): Promise<void> {
    setAnalysis(undefined);
    setFile(undefined);
    if (input.size > IMPORT_LIMITS.maxBytes) {
      // Refused before reading: a 50 MB file is never loaded into the page.
      setFailure(t('importErrors.file-too-large', { size: Math.round(input.size / 1024 / 1024), max: IMPORT_LIMITS.maxBytes / 1024 / 1024 }));
      return;
    }
    const picked = { name: input.name, bytes: new Uint8Array(await input.arrayBuffer()) };
    setFile(picked);
    await analyse(picked, {});
  }

  const plan = useMemo(() => (analysis && file ? buildPlan(file.name, analysis.records, analysis.duplicates, { all, rows }) : undefined), [analysis, file, all, rows]);
  // Columns the rules keep out of this user's cards (import-rules.ts): shown in the preview, never written.
  const newCardAccess = useNewCardAccess();
  const custodyApi = useCustodyApi();
  const held = useMemo(() => (analysis ? heldBackColumns(analysis.headers, analysis.mapping, newCardAccess) : []), [analysis, newCardAccess]);
  // Managers and admins choose who owns the new cards (handed over once the server holds them).
  const me = useMe(custodyApi);
  const [owner, setOwner] = useState('');
  /** The hand-over this import queued, followed on the page until the server has taken it. */
  const [handover, setHandover] = useState<{ to: string; cardIds: string[] }>();
  const choosesOwner = custodyApi !== undefined && me !== undefined && me.role !== 'rep';

  async function runImport(): Promise<void> {
    if (!plan) return;
    const { plan: allowed, proposals } = applyHeldBack(plan, held);
    const controller = new AbortController();
    abort.current = controller;
    const total = plan.creates.length + plan.fills.length;
    setStage({ kind: 'importing', progress: { phase: 'building', done: 0, total } });
    const result = await store.runImport(allowed, { signal: controller.signal, prebuilt: workerBuiltCards(), onProgress: (progress) => setStage({ kind: 'importing', progress }) });
    abort.current = undefined;
    if (!result.ok) setStage({ kind: 'done', message: t('import.failed', { message: errorMessage(language, result) }) });
    else if (result.value.cancelled) setStage({ kind: 'done', message: t('import.cancelled') });
    else {
      const done = t('import.done', { created: result.value.created, filled: result.value.filled, skipped: result.value.skipped });
      // Proposals for the filled cards and the hand-over to the chosen owner are queued on the
      // device (store/custody-queue.ts): sent once the server holds the cards, even after this
      // page is closed or the device was offline meanwhile.
      const requests: CustodyRequest[] = [];
      for (const proposal of proposals) {
        // As a fill, a proposal only for a field the card leaves empty.
        const held = (await store.getCard(proposal.cardId))?.fields[proposal.field];
        if (held === undefined || held === null || held === '') requests.push({ kind: 'propose', ...proposal, reason: plan.reason });
      }
      const to = choosesOwner && owner && owner !== me.user ? owner : undefined;
      const created = result.value.createdIds ?? [];
      if (to && created.length > 0 && me) requests.push({ kind: 'handover', from: me.user, to, cardIds: created, reason: plan.reason });
      const queued = requests.length === 0 || (custodyApi !== undefined && (await queueCustodyRequests(requests)));
      const proposing = requests.filter((request) => request.kind === 'propose').length;
      const proposed = proposing > 0 ? ` ${queued ? t('importRules.proposalsSent', { count: proposing }) : t('importRules.proposalsFailed', { message: t('importOwner.notQueued') })}` : '';
      // Queued, the hand-over is followed below (HandoverProgress); not kept, the result says so.
      const handing = to && created.length > 0 && !queued ? ` ${t('importOwner.failed', { owner: to, message: t('importOwner.notQueued') })}` : '';
      if (to && created.length > 0 && queued) setHandover({ to, cardIds: created });
      setStage({ kind: 'done', message: done + proposed + handing });
    }
  }

  function cancel(): void {
    if (stage.kind === 'reading') {
      reading.current++;
      stopWorker();
      setStage({ kind: 'pick' });
    } else abort.current?.abort();
  }

  async function saveMapping(): Promise<void> {
    if (!analysis || !mappingName.trim()) return;
    const entry = savedFromMapping(mappingName.trim(), analysis.headers, analysis.mapping);
    const next = [...saved.filter((item) => item.name !== entry.name), entry];
    await store.setSetting(MAPPINGS_SETTING, next);
    setSaved(next);
    setInfo(t('import.mappingSaved', { name: entry.name }));
  }

  function reset(): void {
    setStage({ kind: 'pick' });
    setAnalysis(undefined);
    setFile(undefined);
    setFailure(undefined);
  }

  const encodingChoice = analysis?.encoding && analysis.kind !== 'xlsx' ? (analysis.encoding as TextEncodingName) : undefined;
  // What a new reading of the same file keeps: the header row and the choice about unmapped columns.
  const kept = analysis ? { ...(analysis.headerRow !== undefined ? { headerRow: analysis.headerRow } : {}), keepUnmapped: analysis.keepUnmapped } : {};

  return (
    <div className="import-panel" data-testid="import-panel">
      {stage.kind === 'pick' || stage.kind === 'reading' ? (
        <div className="import-pick">
          <label className="import-file">
            <span>{t('import.pick')}</span>
            <input type="file" data-testid="import-file" accept=".xlsx,.csv,.txt,.vcf" disabled={stage.kind === 'reading'} onChange={(event) => event.target.files?.[0] && void pick(event.target.files[0])} />
          </label>
          <p className="muted">{t('import.pickHint', { mb: IMPORT_LIMITS.maxBytes / 1024 / 1024, rows: IMPORT_LIMITS.maxRows })}</p>
          {stage.kind === 'reading' && file ? (
            <p data-testid="import-reading">
              {t('import.reading', { name: file.name })}{' '}
              <button type="button" onClick={cancel}>
                {t('import.cancel')}
              </button>
            </p>
          ) : null}
        </div>
      ) : null}
      {failure ? (
        <p className="import-failure" role="alert" data-testid="import-failure">
          {failure}
        </p>
      ) : null}

      {stage.kind === 'review' && analysis && file && plan ? (
        <>
          <div className="import-file-line">
            <strong>{file.name}</strong> · {t(`import.kind.${analysis.kind}` as MessageKey)}
            {analysis.sheetName ? ` · ${t('import.sheet', { name: analysis.sheetName })}` : ''}
            {encodingChoice ? (
              <label>
                {' · '}
                {t('import.encoding')}{' '}
                <select data-testid="import-encoding" value={encodingChoice} onChange={(event) => void analyse(file, { ...kept, encoding: event.target.value as TextEncodingName, mapping: analysis.mapping })}>
                  {TEXT_ENCODINGS.map((encoding) => (
                    <option key={encoding} value={encoding}>
                      {t(`import.encoding.${encoding}` as MessageKey)}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {' '}
            <HeaderRowChoice analysis={analysis} onPick={(headerRow) => void analyse(file, { ...(encodingChoice ? { encoding: encodingChoice } : {}), headerRow, keepUnmapped: analysis.keepUnmapped })} />
            <button type="button" className="link" onClick={reset}>
              {t('import.another')}
            </button>
          </div>
          <p data-testid="import-counts">{t('import.rowsRead', { total: analysis.total, records: analysis.records.length, errors: analysis.errors.length })}</p>
          {analysis.notes.map((note) => (
            <p className="muted" key={note.code} data-testid={`import-note-${note.code}`}>
              {noteText(t, note)}
            </p>
          ))}
          {analysis.kind !== 'vcf' ? (
            <section>
              <h3>{t('import.mapping')}</h3>
              <div className="import-mapping-tools">
                {saved.length > 0 ? (
                  <label>
                    {t('import.savedMappings')}{' '}
                    <select
                      data-testid="import-saved-mapping"
                      value=""
                      onChange={(event) => {
                        const chosen = saved.find((item) => item.name === event.target.value);
                        if (chosen) void analyse(file, { ...kept, ...(encodingChoice ? { encoding: encodingChoice } : {}), mapping: mappingFromSaved(analysis.headers, chosen) });
                      }}
                    >
                      <option value="">{t('import.applyMapping')}</option>
                      {saved.map((item) => (
                        <option key={item.name} value={item.name}>
                          {item.name}
                        </option>
                      ))}
                    </select>
                  </label>
                ) : null}
                <input data-testid="import-mapping-name" placeholder={t('import.mappingName')} value={mappingName} onChange={(event) => setMappingName(event.target.value)} />
                <button type="button" data-testid="import-save-mapping" disabled={!mappingName.trim()} onClick={() => void saveMapping()}>
                  {t('import.saveMapping')}
                </button>
                {info ? <span className="muted">{info}</span> : null}
              </div>
              <MappingTable headers={analysis.headers} sample={analysis.sample} mapping={analysis.mapping} onChange={(mapping) => void analyse(file, { ...kept, ...(encodingChoice ? { encoding: encodingChoice } : {}), mapping })} />
              <UnmappedColumns analysis={analysis} onKeep={(keepUnmapped) => void analyse(file, { ...kept, ...(encodingChoice ? { encoding: encodingChoice } : {}), mapping: analysis.mapping, keepUnmapped })} />
            </section>
          ) : null}
          {analysis.mappingProblem ? (
            <p className="import-failure" data-testid="import-need-name">
              {t('import.needName')}
            </p>
          ) : (
            <>
              <CustomerGrouping analysis={analysis} />
              <ImportPreview analysis={analysis} />
              <ImportHeldBack held={held} />
              {choosesOwner ? <ImportOwner api={custodyApi} me={me} owner={owner || me.user} onOwner={setOwner} /> : null}
              <ImportErrors analysis={analysis} onDownload={() => downloadFile(toCsv(errorsCsvRows(analysis.errors)), `refused-rows-${file.name.replace(/\.[^.]+$/, '')}.csv`, CSV_TYPE)} />
              <ImportDuplicates analysis={analysis} all={all} rows={rows} onAll={(choice) => { setAll(choice); setRows({}); }} onRow={(row, choice) => setRows((current) => ({ ...current, [row]: choice }))} />
              <p className="import-summary" data-testid="import-summary">
                {t('import.summary', { create: plan.creates.length, fill: plan.fills.length, skip: plan.skipped.length, errors: analysis.errors.length })}
              </p>
              <button type="button" className="primary" data-testid="import-start" disabled={plan.creates.length + plan.fills.length === 0} onClick={() => void runImport()}>
                {t('import.start')}
              </button>
            </>
          )}
        </>
      ) : null}

      {stage.kind === 'importing' ? (
        <div className="import-progress">
          <progress data-testid="import-progress" max={Math.max(1, stage.progress.total)} value={stage.progress.done} />
          <span>{t('import.progress', { done: stage.progress.done, total: stage.progress.total })}</span>
          <button type="button" data-testid="import-cancel" onClick={cancel}>
            {t('import.cancel')}
          </button>
        </div>
      ) : null}

      {stage.kind === 'done' ? (
        <div>
          <p data-testid="import-result">{stage.message}</p>
          {handover ? <HandoverProgress to={handover.to} cardIds={handover.cardIds} /> : null}
          <button type="button" onClick={reset}>
            {t('import.another')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
