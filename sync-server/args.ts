/** Command-line flags shared by the server and the admin CLI: `--name value` pairs. */
export function flag(args: string[], name: string, fallback: string): string {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
  return value;
}

/** The arguments that are not flags or flag values. */
export function positional(args: string[], flagsWithValues: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--')) {
      if (flagsWithValues.includes(arg.slice(2))) i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** Every value of a flag that may be repeated (`--card a --card b`). */
export function flags(args: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== `--${name}`) continue;
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
    values.push(value);
  }
  return values;
}

/** Whether a flag without a value is present (`--write`). */
export function has(args: string[], name: string): boolean {
  return args.includes(`--${name}`);
}
