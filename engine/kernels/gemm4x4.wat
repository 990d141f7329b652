;; The float32 matrix-multiply micro-kernel, in WebAssembly SIMD (source of gemm4x4Wasm.ts;
;; regenerate with `npm run wasm`). One call computes a 4-row strip of C against a block of
;; B's packed column panels:
;;
;;   C[r, p*4 + c] = Σ_k  A[r, k] · B[k, p*4 + c]      r, c ∈ 0..3,  p ∈ 0..panels-1
;;
;; with A packed k-major (ap[k*4 + r]), B packed panel by panel (bp[p*K*4 + k*4 + c]) and C
;; row-major with a row stride of `ldc` floats. Each C row of a panel is one f32x4 sum; each
;; step of k adds one B row (a v128 load) times each A value (a splat). All pointers are
;; byte offsets into the exported memory; K must be at least 1.
(module
  (memory (export "memory") 1)
  (func (export "strip")
    (param $ap i32) (param $bp i32) (param $c i32) (param $K i32) (param $panels i32) (param $ldc i32)
    (local $panel i32) (local $pa i32) (local $pb i32) (local $aEnd i32) (local $rowBytes i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $b v128)
    (local.set $aEnd (i32.add (local.get $ap) (i32.shl (local.get $K) (i32.const 4))))
    (local.set $rowBytes (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $pb (local.get $bp))
    (block $done
      (loop $panels
        (br_if $done (i32.ge_u (local.get $panel) (local.get $panels)))
        (local.set $c0 (v128.const i32x4 0 0 0 0))
        (local.set $c1 (v128.const i32x4 0 0 0 0))
        (local.set $c2 (v128.const i32x4 0 0 0 0))
        (local.set $c3 (v128.const i32x4 0 0 0 0))
        (local.set $pa (local.get $ap))
        (loop $k
          (local.set $b (v128.load (local.get $pb)))
          (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $b) (v128.load32_splat (local.get $pa)))))
          (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $b) (v128.load32_splat offset=4 (local.get $pa)))))
          (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $b) (v128.load32_splat offset=8 (local.get $pa)))))
          (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $b) (v128.load32_splat offset=12 (local.get $pa)))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
          (br_if $k (i32.lt_u (local.get $pa) (local.get $aEnd))))
        (v128.store (local.get $c) (local.get $c0))
        (v128.store (i32.add (local.get $c) (local.get $rowBytes)) (local.get $c1))
        (v128.store (i32.add (local.get $c) (i32.shl (local.get $rowBytes) (i32.const 1))) (local.get $c2))
        (v128.store (i32.add (local.get $c) (i32.mul (local.get $rowBytes) (i32.const 3))) (local.get $c3))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (local.set $panel (i32.add (local.get $panel) (i32.const 1)))
        (br $panels))))
)
