import { closeSync, openSync, writeSync } from 'node:fs';

/** Quotes a CSV field when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/**
 * Streams CSV lines to a file through a 1 MiB buffer, so a 10-million-line file never sits in
 * memory. Synchronous on purpose: the generator is a CLI and this keeps bytes in order.
 */
export class CsvWriter {
  private readonly fd: number;
  private chunks: string[] = [];
  private size = 0;
  lines = 0;

  constructor(path: string, header: readonly string[]) {
    this.fd = openSync(path, 'w');
    this.row(header);
    this.lines = 0;
  }

  /** Appends one row (fields are escaped here). */
  row(fields: readonly (string | number)[]): void {
    const line = fields.map(csvField).join(',') + '\n';
    this.chunks.push(line);
    this.size += line.length;
    this.lines++;
    if (this.size >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.chunks.length === 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
