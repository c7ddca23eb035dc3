/**
 * The refusal custody gives for what a user or admin can cause: a kebab-case code, a readable
 * message and the HTTP status the API answers with (api.ts). Its own module so the custody
 * service's parts (policy-service.ts, pool.ts) refuse the same way without importing custody.ts.
 */
export class CustodyError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Plain data a device reads to tell the refusal in its user's language (a policy refusal: the rule and why). */
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The one refusal for a card that does not exist and a card the user may not read or decide for. */
export const NO_SUCH_CARD = 'No such card, or no right to it';
