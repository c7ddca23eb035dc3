/**
 * A TextDecoder that decodes short ASCII byte runs itself, installed in the service worker before
 * Yjs loads. lib0 (Yjs's encoding library) makes one TextDecoder call per string of an update, and
 * a card's state holds hundreds of short strings (map keys, the fields of its change records); in
 * Chrome each call is a trip into the browser's C++ (~0.4 µs against ~0.08 µs here), which was a
 * quarter of rebuilding every index row. Any other input (longer, non-ASCII, another encoding,
 * streaming) goes to the browser's decoder with the caller's options, so errors are its own.
 */
const MAX_SHORT = 64;

export function shortTextDecoderClass(Native: typeof TextDecoder): typeof TextDecoder {
  return class ShortTextDecoder extends Native {
    /** Read once: `encoding` is itself a call into the browser's C++. */
    private readonly utf8: boolean;
    constructor(label?: string, options?: TextDecoderOptions) {
      super(label, options);
      this.utf8 = this.encoding === 'utf-8';
    }

    override decode(input?: AllowSharedBufferSource, options?: TextDecodeOptions): string {
      if (this.utf8 && input instanceof Uint8Array && input.length <= MAX_SHORT && !options?.stream) {
        let ascii = true;
        for (let i = 0; i < input.length; i++) {
          if (input[i]! > 0x7f) {
            ascii = false;
            break;
          }
        }
        if (ascii) return String.fromCharCode.apply(null, input as unknown as number[]);
      }
      return super.decode(input, options);
    }
  };
}

/** Replaces the global TextDecoder; call before any module that creates one at load (lib0). */
export function installShortTextDecoder(scope: { TextDecoder?: typeof TextDecoder } = globalThis): void {
  if (scope.TextDecoder) scope.TextDecoder = shortTextDecoderClass(scope.TextDecoder);
}

installShortTextDecoder();
