// Hand-written scalar chain y = y*1.0001 + 0.0001 (n iterations, 2n ops) with a manual
// backward pass over a minimal tape: one op code and one constant per op, in typed arrays.
const MUL = 0;
const ADD = 1;

export function chainForward(x0, n, mulBy = 1.0001, addTo = 0.0001) {
  const ops = new Uint8Array(2 * n);
  const consts = new Float64Array(2 * n);
  let y = x0;
  let t = 0;
  for (let i = 0; i < n; i++) {
    ops[t] = MUL; consts[t++] = mulBy; y = Math.fround(y * mulBy);
    ops[t] = ADD; consts[t++] = addTo; y = Math.fround(y + addTo);
  }
  return { y, ops, consts };
}

/** dy/dx0 by walking the tape backwards. */
export function chainBackward({ ops, consts }) {
  let g = 1;
  for (let t = ops.length - 1; t >= 0; t--) if (ops[t] === MUL) g = Math.fround(g * consts[t]);
  return g;
}
