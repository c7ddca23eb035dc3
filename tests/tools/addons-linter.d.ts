/** The part of Mozilla's add-on linter (addons-linter, no types of its own) the store-zip test uses. */
declare module 'addons-linter' {
  interface LintMessage {
    code: string;
    message: string;
    file?: string;
  }
  export function createInstance(options: { config: Record<string, unknown>; runAsBinary: boolean }): { run(): Promise<{ errors: LintMessage[]; warnings: LintMessage[]; notices: LintMessage[] }> };
}
