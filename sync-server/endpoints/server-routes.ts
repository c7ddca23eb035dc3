/**
 * Every entry of the server, as the server itself dispatches them: plain HTTP (`/health`, and
 * `/api/…`, whose routes are api-routes.ts's table, plus the CORS preflight), and the websocket
 * upgrades (upgrade-target.ts). server.ts routes HTTP requests with `httpEntry`; `everyRoute`
 * lists them all for the route-rules test, which fails on any route without a rule.
 */
import { API_ROUTES } from './api-routes.ts';
import { UPGRADE_ROUTES } from './upgrade-target.ts';

export const HEALTH_PATH = '/health';
export const API_PREFIX = '/api/';
/** The one API request without a token: a one-time invitation code traded for a token (invitations.ts). */
export const INVITATION_REDEEM_PATH = '/api/invitations/redeem';

/** Where a plain HTTP request goes (its raw request target), or undefined (404). */
export function httpEntry(url: string | undefined): 'health' | 'api' | undefined {
  if (url === HEALTH_PATH) return 'health';
  if (url?.startsWith(API_PREFIX)) return 'api';
  return undefined;
}

export interface RouteName {
  kind: 'http' | 'websocket';
  method: string;
  path: string;
}

export function everyRoute(): RouteName[] {
  return [
    { kind: 'http', method: 'GET', path: HEALTH_PATH },
    { kind: 'http', method: 'OPTIONS', path: `${API_PREFIX}*` },
    { kind: 'http', method: 'POST', path: INVITATION_REDEEM_PATH },
    ...API_ROUTES.map((route) => ({ kind: 'http' as const, method: route.method, path: route.path })),
    ...UPGRADE_ROUTES.map((path) => ({ kind: 'websocket' as const, method: 'GET', path })),
  ];
}
