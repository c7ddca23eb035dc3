/**
 * Authorisation, per card, in one place. Today: a card is readable and writable by its owner
 * (the user who created it) and by admins; everyone else gets nothing — not even whether the
 * card exists. Teams, managers, sharing and time-limited borrowing slot in here.
 */
import type { User } from './storage.ts';

export interface CardOwnership {
  owner: string;
}

export function canRead(user: User, card: CardOwnership): boolean {
  return user.role === 'admin' || card.owner === user.name;
}

export function canWrite(user: User, card: CardOwnership): boolean {
  return user.role === 'admin' || card.owner === user.name;
}

/** Anyone signed in may create a new card; they become its owner. */
export function canCreate(user: User): boolean {
  return user.role === 'rep' || user.role === 'manager' || user.role === 'admin';
}
