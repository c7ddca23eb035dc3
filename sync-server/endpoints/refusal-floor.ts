/**
 * Replies that could tell whether a card exists ("no such card" and "not yours" are one reply:
 * a custody API refusal, a `/y` join of a card the user may not read) go out no sooner than
 * REFUSAL_FLOOR_MS after the request came, so their timing tells nothing either: the reads a
 * card that exists costs are hidden under the floor.
 */
export const REFUSAL_FLOOR_MS = 40;

/** Resolves at `started` + the floor (at once if that has passed). */
export function refusalFloor(started: number): Promise<void> {
  const wait = started + REFUSAL_FLOOR_MS - Date.now();
  return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
}
