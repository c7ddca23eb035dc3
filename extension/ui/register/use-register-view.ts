/** The register's view kept in the page's URL (replaceState: a bookmark reopens the same view). */
import { useCallback, useState } from 'react';
import { paramsToView, viewToParams, type RegisterView } from './register-view.ts';

export function useRegisterView(): [RegisterView, (next: RegisterView) => void] {
  const [view, setViewState] = useState<RegisterView>(() => paramsToView(new URLSearchParams(location.search)));
  const setView = useCallback((next: RegisterView) => {
    setViewState(next);
    const params = viewToParams(next, new URLSearchParams(location.search));
    const query = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  }, []);
  return [view, setView];
}
