import { pino, type Logger } from 'pino';

/** Structured JSON logs on stdout (stderr for the CLIs, whose stdout may carry --json). */
export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  return pino({ level, base: { app: 'kg-insight-explorer' } }, pino.destination({ fd: destination, sync: false }));
}
