/**
 * Something to print on its own (the register as 客户名册, a visit pack, an analysis): rendered
 * into <body> beside the app, which print CSS hides while this is mounted (base-print.css).
 * `onScreen`: also shown on screen as an overlay (a preview with its own tools).
 */
import { useEffect, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export function PrintPortal({ children, onScreen = false, testId }: { children: ReactNode; onScreen?: boolean; testId?: string }) {
  useEffect(() => {
    document.body.classList.add('printing-part');
    return () => document.body.classList.remove('printing-part');
  }, []);
  return createPortal(
    <div className={`print-part${onScreen ? ' print-preview' : ''}`} data-testid={testId}>
      {children}
    </div>,
    document.body,
  );
}

/** Opens the print dialog once the part is on the page, and calls `done` after it closes. */
export function usePrintWhenReady(active: boolean, done: () => void): void {
  useEffect(() => {
    if (!active) return;
    const controller = new AbortController();
    window.addEventListener('afterprint', done, { signal: controller.signal });
    const frame = requestAnimationFrame(() => window.print());
    return () => {
      cancelAnimationFrame(frame);
      controller.abort();
    };
  }, [active, done]);
}
