/**
 * The register's lines, virtualised (@tanstack/react-virtual): only the lines in view are in the
 * DOM, so 10,000 customers scroll smoothly. Click a header to sort by it (again to reverse).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef } from 'react';
import type { CardIndexRow } from '../../../shared/card-types.ts';
import { useLanguage } from '../common/use-language.tsx';
import { cellText, columnLabelKey, isMoney } from './cells.ts';
import type { ColumnKey, RegisterView, ViewContext } from './register-view.ts';

const LINE_HEIGHT = 34;

const WIDTHS: Record<ColumnKey, string> = {
  number: '90px', name: 'minmax(200px, 2.5fr)', city: 'minmax(90px, 1fr)', class: '56px', stage: '96px', owner: 'minmax(80px, 1fr)', key: '36px',
  lastContact: '110px', nextDue: '110px', receivables: '110px', overdue: '100px', purchases12m: '120px', rank: '60px', nature: '110px', tier: '96px',
  loyalty: '110px', industry: 'minmax(90px, 1fr)', tags: 'minmax(100px, 1fr)',
};

export function gridTemplate(columns: readonly ColumnKey[]): string {
  return ['36px', ...columns.map((c) => WIDTHS[c])].join(' ');
}

interface Props {
  rows: readonly CardIndexRow[];
  view: RegisterView;
  ctx: ViewContext;
  selected: ReadonlySet<string>;
  onSort: (key: ColumnKey) => void;
  onToggle: (id: string) => void;
  onOpen: (id: string) => void;
}

interface LineProps {
  row: CardIndexRow;
  columns: readonly ColumnKey[];
  template: string;
  ctx: ViewContext;
  selected: boolean;
  start: number;
  onToggle: (id: string) => void;
  onOpen: (id: string) => void;
}

/** One line; redrawn only when its row, the columns, the context or its selection change. */
const RegisterLine = memo(function RegisterLine({ row, columns, template, ctx, selected, start, onToggle, onOpen }: LineProps) {
  const { language, t } = useLanguage();
  return (
    <div
      role="row"
      data-testid="register-row"
      data-card-id={row.id}
      className={`register-line${selected ? ' selected' : ''}`}
      style={{ gridTemplateColumns: template, position: 'absolute', top: 0, left: 0, right: 0, height: LINE_HEIGHT, transform: `translateY(${start}px)` }}
    >
      <span role="cell">
        <input type="checkbox" aria-label={t('register.selectRow', { name: row.name })} checked={selected} onChange={() => onToggle(row.id)} />
      </span>
      {columns.map((key) => (
        <span key={key} role="cell" className={`${isMoney(key) || key === 'rank' ? 'number' : ''}${key === 'overdue' && row.overdue > 0 ? ' warn' : ''}${key === 'class' ? ` abc abc-${row.abc}` : ''}`}>
          {key === 'name' ? (
            <button type="button" className="link" onClick={() => onOpen(row.id)}>
              {row.name}
            </button>
          ) : (
            cellText(language, row, key, ctx)
          )}
        </span>
      ))}
    </div>
  );
});

export function RegisterTable({ rows, view, ctx, selected, onSort, onToggle, onOpen }: Props) {
  const { t } = useLanguage();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => LINE_HEIGHT, overscan: 12 });
  const template = gridTemplate(view.columns);
  return (
    <div className="register-table" role="table" aria-rowcount={rows.length}>
      <div className="register-line register-head" role="row" style={{ gridTemplateColumns: template }}>
        <span role="columnheader" />
        {view.columns.map((key) => {
          const active = view.sort.key === key;
          return (
            <span key={key} role="columnheader" className={isMoney(key) || key === 'rank' ? 'number' : undefined} aria-sort={active ? (view.sort.desc ? 'descending' : 'ascending') : 'none'}>
              <button type="button" className="sort" data-testid={`sort-${key}`} onClick={() => onSort(key)}>
                {t(columnLabelKey(key))}
                {active ? (view.sort.desc ? ' ▼' : ' ▲') : ''}
              </button>
            </span>
          );
        })}
      </div>
      <div className="register-scroll" ref={scroller} data-testid="register-scroll">
        {rows.length === 0 ? <p className="muted register-empty">{t('register.empty')}</p> : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            return <RegisterLine key={row.id} row={row} columns={view.columns} template={template} ctx={ctx} selected={selected.has(row.id)} start={item.start} onToggle={onToggle} onOpen={onOpen} />;
          })}
        </div>
      </div>
    </div>
  );
}
