import { startBackground } from '../background/main.ts';

export default defineBackground(() => {
  startBackground();
});
