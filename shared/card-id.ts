/**
 * Card ids are random UUIDs made by the devices (`crypto.randomUUID()`), so an id can be
 * neither guessed nor used to probe whether someone else's card exists. The server refuses
 * any other shape.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isCardId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
