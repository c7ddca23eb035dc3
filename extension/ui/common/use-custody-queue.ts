/** The custody requests still waiting on this device (store/custody-queue.ts), read again every second while a page shows them. */
import { useEffect, useState } from 'react';
import { readCustodyQueue, type QueuedCustody } from '../../store/custody-queue.ts';
import { useStore } from './use-store.ts';

const READ_MS = 1_000;

export function useCustodyQueue(): QueuedCustody[] | undefined {
  const store = useStore();
  const [queue, setQueue] = useState<QueuedCustody[]>();
  useEffect(() => {
    let live = true;
    const read = () => void readCustodyQueue(store).then((list) => live && setQueue((old) => (JSON.stringify(old) === JSON.stringify(list) ? old : list)));
    read();
    const timer = setInterval(read, READ_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [store]);
  return queue;
}
