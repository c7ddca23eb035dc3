/**
 * The company policy this device holds (the worker keeps it: background/company-policy.ts), or
 * undefined before the device was first signed in. Version 0 is the company's defaults, before an
 * admin changed any rule: the server follows those, so the device shows them as the company's. Re-read whenever any context
 * writes it, so an open settings page shows a change at once.
 */
import { useEffect, useState } from 'react';
import { companyCreditFloor } from '../../../shared/credit-floor.ts';
import type { VersionedPolicy } from '../../../shared/policy/policy.ts';
import { CHANGES_CHANNEL } from '../../store/card-store.ts';
import { getCardStore } from '../../store/index.ts';

const SETTING = 'companyPolicy';

export function useCompanyPolicy(): VersionedPolicy | undefined {
  const [policy, setPolicy] = useState<VersionedPolicy>();
  useEffect(() => {
    const read = () => void getCardStore().getSetting<VersionedPolicy>(SETTING).then((value) => setPolicy(value && value.version >= 0 ? value : undefined));
    read();
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel(CHANGES_CHANNEL);
    channel.onmessage = (event: MessageEvent<{ setting?: string }>) => {
      if (event.data?.setting === SETTING) read();
    };
    return () => channel.close();
  }, []);
  return policy;
}

/** The credit floor in force: the company's, or the default before the company set any rule (shared/credit-floor.ts). */
export function useCreditFloorRule(): string {
  return useCompanyPolicy()?.policy.creditFloor ?? companyCreditFloor();
}

/** The company's fields whose change needs a reason beyond the controlled ones (policy `reasonFields`; none before the company set any rule). */
export function useReasonFields(): readonly string[] {
  return useCompanyPolicy()?.policy.reasonFields ?? NO_FIELDS;
}

const NO_FIELDS: readonly string[] = [];
