import { describe, expect, it } from 'vitest';
import { latest } from '../../web/src/api/latest.js';

/** A promise and the handles to settle it later, so a test decides which answer comes first. */
function deferred<T>() {
  let resolve!: (v: T) => void, reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe('latest(): the newest response wins', () => {
  it('drops a slow older call that resolves after a newer one', async () => {
    const guard = latest();
    const slow = deferred<string>(), fast = deferred<string>();
    const older = guard.run(() => slow.promise);
    const newer = guard.run(() => fast.promise);
    fast.resolve('newer');
    expect(await newer).toEqual({ ok: true, value: 'newer' });
    slow.resolve('older');
    expect(await older).toBeNull();
  });

  it('drops an older call also when it resolves first, and older errors too', async () => {
    const guard = latest();
    const a = deferred<number>(), b = deferred<number>();
    const first = guard.run(() => a.promise);
    const second = guard.run(() => b.promise);
    a.reject(new Error('gone'));
    expect(await first).toBeNull();
    b.resolve(2);
    expect(await second).toEqual({ ok: true, value: 2 });
  });

  it('hands the newest call its error instead of rejecting', async () => {
    const guard = latest();
    const err = new Error('boom');
    expect(await guard.run(() => Promise.reject(err))).toEqual({ ok: false, error: err });
    expect(await guard.run(() => { throw err; })).toEqual({ ok: false, error: err });
  });

  it('drop() makes calls in flight stale; later calls deliver again', async () => {
    const guard = latest();
    const a = deferred<string>();
    const pending = guard.run(() => a.promise);
    guard.drop();
    a.resolve('late');
    expect(await pending).toBeNull();
    expect(await guard.run(async () => 'fresh')).toEqual({ ok: true, value: 'fresh' });
  });

  it('keeps separate guards apart', async () => {
    const one = latest(), two = latest();
    const a = deferred<string>();
    const p = one.run(() => a.promise);
    await two.run(async () => 'other');
    a.resolve('mine');
    expect(await p).toEqual({ ok: true, value: 'mine' });
  });
});
