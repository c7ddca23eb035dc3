/**
 * Card ids are random UUIDs made by the devices (`crypto.randomUUID()`), so an id can be
 * neither guessed nor used to probe whether someone else's card exists. The server refuses
 * any other shape. The one form is lower-case, as `randomUUID` writes it: an id that differs
 * only in case would name a second card, so it is refused, not stored beside the first.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isCardId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
