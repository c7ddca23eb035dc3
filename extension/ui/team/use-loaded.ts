/** Loads something from the custody API, with a reload function and a readable error. */
import { useCallback, useEffect, useState } from 'react';

export interface Loaded<T> {
  value: T | undefined;
  error: string | undefined;
  reload(): void;
}

export function useLoaded<T>(load: (() => Promise<T>) | undefined, deps: unknown[]): Loaded<T> {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<string>();
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  useEffect(() => {
    if (!load) return;
    let live = true;
    load().then(
      (result) => {
        if (!live) return;
        setValue(result);
        setError(undefined);
      },
      (failure: unknown) => live && setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [round, ...deps]);
  return { value, error, reload };
}

/** A date input's value (local) for an epoch ms, and back (end of that day). */
export function dateInput(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function endOfDay(text: string): number {
  return new Date(`${text}T23:59:59`).getTime();
}
