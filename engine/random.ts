/**
 * The global generator behind rand/randn/Dropout/init: Mersenne Twister (MT19937), seeded by
 * manualSeed, so programs are deterministic. Its streams are not bit-identical to PyTorch's
 * (PyTorch's CPU kernels vectorise their draws); golden tests therefore pass explicit values.
 */
const N = 624;
const M = 397;
const state = new Uint32Array(N);
let index = N + 1;
let spareNormal: number | null = null;

export function manualSeed(seed: number): void {
  state[0] = seed >>> 0;
  for (let i = 1; i < N; i++) {
    const prev = state[i - 1]! ^ (state[i - 1]! >>> 30);
    state[i] = (Math.imul(1812433253, prev) + i) >>> 0;
  }
  index = N;
  spareNormal = null;
}

function twist(): void {
  for (let i = 0; i < N; i++) {
    const y = (state[i]! & 0x80000000) | (state[(i + 1) % N]! & 0x7fffffff);
    state[i] = state[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
  }
  index = 0;
}

function nextUint32(): number {
  if (index >= N) {
    if (index === N + 1) manualSeed(5489);
    twist();
  }
  let y = state[index++]!;
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}

/** Uniform in [0, 1) with 53 random bits. */
export function uniform(): number {
  const high = nextUint32() >>> 5;
  const low = nextUint32() >>> 6;
  return (high * 67108864 + low) / 9007199254740992;
}

/** Standard normal, Box–Muller with the second value cached. */
export function normal(): number {
  if (spareNormal !== null) {
    const value = spareNormal;
    spareNormal = null;
    return value;
  }
  let u = uniform();
  while (u <= Number.MIN_VALUE) u = uniform();
  const v = uniform();
  const radius = Math.sqrt(-2 * Math.log(u));
  spareNormal = radius * Math.sin(2 * Math.PI * v);
  return radius * Math.cos(2 * Math.PI * v);
}

/** Integer in [low, high). */
export function randomInt(low: number, high: number): number {
  return low + Math.floor(uniform() * (high - low));
}
