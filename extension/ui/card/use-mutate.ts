/** Runs a mutation and returns the error (or undefined), for editors that show it inline. */
import type { AppError } from '../../../shared/errors.ts';
import type { Mutation } from '../../../shared/mutations-types.ts';
import { useStore } from '../common/use-store.ts';

export function useMutate(): (mutation: Mutation) => Promise<AppError | undefined> {
  const store = useStore();
  return async (mutation) => {
    const result = await store.mutate(mutation);
    return result.ok ? undefined : result;
  };
}
