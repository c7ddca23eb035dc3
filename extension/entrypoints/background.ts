export default defineBackground(() => {
  // Wired up in extension/background/ (see the foundation issue).
});
