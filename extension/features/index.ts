/**
 * The registry of webmail integrations: one detector per file, tried in this order. The first
 * detector whose `matches` claims the page decides alone (a Gmail page whose DOM changed gives
 * no card, not a generic guess). Adding a webmail = one file and one line here.
 */
import type { SenderInfo } from '../../shared/card-types.ts';
import type { PageLocation, SenderDetector } from './detector.ts';
import { genericSender } from './generic-sender.ts';
import { gmailSender } from './gmail-sender.ts';
import { outlookSender } from './outlook-sender.ts';

export const DETECTORS: readonly SenderDetector[] = [gmailSender, outlookSender, genericSender];

export function detectSender(doc: Document, location: PageLocation): SenderInfo | null {
  for (const detector of DETECTORS) {
    if (!detector.matches(location, doc)) continue;
    try {
      return detector.detect(doc, location);
    } catch {
      return null;
    }
  }
  return null;
}
