import { limiter } from '../../src/core/verification/limit';

describe('limiter', () => {
  it.each([[1], [3], [16]])('never runs more than %d tasks at once, and runs them all', async (max) => {
    const limit = limiter(max);
    let running = 0;
    let peak = 0;
    const task = async (i: number) => {
      running++;
      peak = Math.max(peak, running);
      // Finish in a scrambled order so slots are handed over while new tasks keep arriving.
      for (let tick = 0; tick <= (i * 7) % 5; tick++) await new Promise((resolve) => setImmediate(resolve));
      running--;
      return i;
    };
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => limit(() => task(i))));
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(peak).toBe(max);
  });

  it('frees the slot of a task that fails', async () => {
    const limit = limiter(1);
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});
