import { describe, expect, it } from 'vitest';
import { createGate, type GatePass } from './gate.js';

const pass = (value: GatePass | string): GatePass => {
  if (typeof value === 'string') throw new Error(`refused: ${value}`);
  return value;
};

describe('createGate', () => {
  it('caps the requests in progress per client, and gives the slot back on release', () => {
    const gate = createGate({ maxRequests: 0, maxClientRequests: 2, maxBufferedBytes: 0 });
    const a1 = pass(gate.enter('a', 0));
    pass(gate.enter('a', 0));
    expect(gate.enter('a', 0)).toBe('concurrency');
    pass(gate.enter('b', 0));
    a1.release();
    a1.release(); // only the first call counts
    pass(gate.enter('a', 0));
    expect(gate.enter('a', 0)).toBe('concurrency');
    expect(gate.inProgress).toBe(3);
    expect(gate.clients).toBe(2);
  });

  it('caps the requests in progress on the relay, and forgets a client with nothing in progress', () => {
    const gate = createGate({ maxRequests: 2, maxClientRequests: 0, maxBufferedBytes: 0 });
    const a = pass(gate.enter('a', 0));
    const b = pass(gate.enter('b', 0));
    expect(gate.enter('c', 0)).toBe('connections');
    a.release();
    b.release();
    expect(gate.clients).toBe(0);
    expect(gate.inProgress).toBe(0);
    pass(gate.enter('c', 0));
  });

  it('caps the body bytes buffered at once, but lets one body in when nothing else is buffered', () => {
    const gate = createGate({ maxRequests: 0, maxClientRequests: 0, maxBufferedBytes: 1_000 });
    const big = pass(gate.enter('a', 5_000));
    expect(gate.enter('b', 1)).toBe('body_buffer');
    pass(gate.enter('b', 0)); // a request without a body still passes
    big.release();
    const first = pass(gate.enter('a', 600));
    expect(gate.enter('b', 600)).toBe('body_buffer');
    pass(gate.enter('b', 400));
    expect(gate.bufferedBytes).toBe(1_000);
    first.release();
    expect(gate.bufferedBytes).toBe(400);
  });

  it('has no caps at 0', () => {
    const gate = createGate({ maxRequests: 0, maxClientRequests: 0, maxBufferedBytes: 0 });
    for (let i = 0; i < 1_000; i++) pass(gate.enter('a', 1_000_000));
    expect(gate.inProgress).toBe(1_000);
  });
});
