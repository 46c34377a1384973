import { createWriteStream, existsSync, mkdirSync, unlinkSync, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { REJECTS_SUFFIX } from './sources.js';
import type { Reject } from './types.js';

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The default rejects file of a PATH argument: beside it, `<path>.rejects.csv`. */
export function defaultRejectsPath(arg: string): string {
  const full = resolve(arg).replace(/[/\\]+$/, '');
  return existsSync(dirname(full)) ? full + REJECTS_SUFFIX : resolve('load' + REJECTS_SUFFIX);
}

/**
 * Writes rejects as CSV (file,line,field,reason) as they happen, so memory stays flat. With an
 * explicit file every reject goes there; otherwise each PATH argument gets its own file beside
 * it, created on its first reject (a stale one from an earlier run is removed first).
 */
export class RejectsSink {
  private readonly streams = new Map<string, WriteStream>();
  readonly written = new Set<string>();

  constructor(private readonly explicit?: string) {}

  /** Removes stale default rejects files of these PATH arguments; opens the explicit file. */
  prepare(args: string[]): void {
    if (this.explicit) {
      this.open(this.explicit);
      return;
    }
    for (const arg of args) {
      const path = defaultRejectsPath(arg);
      if (existsSync(path)) unlinkSync(path);
    }
  }

  write(reject: Reject, arg: string): void {
    const path = this.explicit ?? defaultRejectsPath(arg);
    const stream = this.streams.get(path) ?? this.open(path);
    stream.write([reject.file, reject.line, reject.field, reject.reason].map(csvCell).join(',') + '\n');
  }

  private open(path: string): WriteStream {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    const stream = createWriteStream(path, { encoding: 'utf8' });
    stream.write('file,line,field,reason\n');
    this.streams.set(path, stream);
    this.written.add(path);
    return stream;
  }

  async close(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => new Promise<void>((done) => s.end(done))));
  }
}
