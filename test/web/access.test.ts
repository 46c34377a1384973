import { describe, expect, it } from 'vitest';
import { promptsFor, type AccessState } from '../../web/src/api/access.js';

// When a refused request brings up the page's key prompt (ui/api-key-prompt.ts).

const caller = { name: 'dashboard', role: 'reader' };
const states: Record<string, AccessState> = {
  unknown: { kind: 'unknown' },
  open: { kind: 'open', caller: { name: 'anonymous', role: 'service' } },
  signedIn: { kind: 'signed-in', caller },
  needsKey: { kind: 'needs-key', reason: 'An API key is required' },
};

describe('the key prompt', () => {
  it('never comes up on the local default for what needs a key of its own (saved scenes)', () => {
    expect(promptsFor(states.open!, 'UNAUTHENTICATED')).toBe(false);
  });

  it('comes up when a key that worked is refused, or the server wants one', () => {
    expect(promptsFor(states.signedIn!, 'UNAUTHENTICATED')).toBe(true);
    expect(promptsFor(states.needsKey!, 'UNAUTHENTICATED')).toBe(true);
  });

  it('comes up for a role too small (FORBIDDEN) once who is asking is known', () => {
    expect(promptsFor(states.signedIn!, 'FORBIDDEN')).toBe(true);
    expect(promptsFor(states.open!, 'FORBIDDEN')).toBe(true);
    expect(promptsFor(states.unknown!, 'FORBIDDEN')).toBe(false);
  });

  it('leaves other errors and a server not asked yet alone', () => {
    for (const s of Object.values(states)) expect(promptsFor(s, 'BAD_USER_INPUT')).toBe(false);
    expect(promptsFor(states.unknown!, 'UNAUTHENTICATED')).toBe(false);
  });
});
