import '../background/short-text-decoder.ts';
import { startBackground } from '../background/main.ts';

export default defineBackground(() => {
  startBackground();
});
