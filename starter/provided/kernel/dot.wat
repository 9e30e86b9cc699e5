;; Dense matmul kernel: C = A B for A n x k, B k x m, C n x m, all row-major
;; float64 in this module's memory (arguments are byte addresses).
;;
;; Each f64x2 lane holds one output C[i][j] and adds A[i][p] * B[p][j] for
;; p = 0, 1, ..., k-1 in that order, starting from 0: exactly the order of the
;; JavaScript kernel in dot-js.ts, so both give the same bits. Plain f64x2 mul
;; and add only (no fma, no relaxed SIMD): deterministic IEEE arithmetic.
;;
;; Build with `npx tsx scripts/build-kernel.ts`, which writes dot-wasm.ts.
(module
  (memory (export "memory") 1)

  ;; One row of C from column $j on: two columns per f64x2, then the odd last one.
  ;; $a: byte address of A row i; $c: of C row i; $B: of B; $rowB: m * 8.
  (func $row (param $a i32) (param $c i32) (param $B i32) (param $k i32) (param $rowB i32) (param $j i32) (param $m i32)
    (local $p i32) (local $bp i32) (local $acc v128) (local $s f64)
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $m)))
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $bp (i32.add (local.get $B) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $p (i32.const 0))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $acc (f64x2.add (local.get $acc)
              (f64x2.mul (f64x2.splat (f64.load (i32.add (local.get $a) (i32.shl (local.get $p) (i32.const 3)))))
                         (v128.load (local.get $bp)))))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $next)))
        (v128.store (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))) (local.get $acc))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $j) (local.get $m))
      (then
        (local.set $s (f64.const 0))
        (local.set $bp (i32.add (local.get $B) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $p (i32.const 0))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $s (f64.add (local.get $s)
              (f64.mul (f64.load (i32.add (local.get $a) (i32.shl (local.get $p) (i32.const 3))))
                       (f64.load (local.get $bp)))))
            (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $next)))
        (f64.store (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 3))) (local.get $s)))))

  ;; C = A B; blocks of 2 rows by 8 columns keep eight f64x2 sums in registers.
  (func (export "matmul") (param $A i32) (param $B i32) (param $C i32) (param $n i32) (param $k i32) (param $m i32)
    (local $rowA i32) (local $rowB i32) (local $n2 i32) (local $m8 i32) (local $i i32) (local $j i32)
    (local $a0 i32) (local $c0 i32) (local $c1 i32) (local $pa i32) (local $end i32) (local $bp i32)
    (local $x0 v128) (local $x1 v128) (local $y v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local.set $rowA (i32.shl (local.get $k) (i32.const 3)))
    (local.set $rowB (i32.shl (local.get $m) (i32.const 3)))
    (local.set $n2 (i32.and (local.get $n) (i32.const -2)))
    (local.set $m8 (i32.and (local.get $m) (i32.const -8)))
    ;; column strips outside, row pairs inside: the 8-column strip of B stays in cache
    (block $colsDone
      (loop $cols
        (br_if $colsDone (i32.ge_u (local.get $j) (local.get $m8)))
        (local.set $i (i32.const 0))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n2)))
            (local.set $a0 (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $rowA))))
            (local.set $c0 (i32.add (local.get $C) (i32.mul (local.get $i) (local.get $rowB))))
            (local.set $c1 (i32.add (local.get $c0) (local.get $rowB)))
            (local.set $s00 (v128.const f64x2 0 0)) (local.set $s01 (v128.const f64x2 0 0))
            (local.set $s02 (v128.const f64x2 0 0)) (local.set $s03 (v128.const f64x2 0 0))
            (local.set $s10 (v128.const f64x2 0 0)) (local.set $s11 (v128.const f64x2 0 0))
            (local.set $s12 (v128.const f64x2 0 0)) (local.set $s13 (v128.const f64x2 0 0))
            (local.set $pa (local.get $a0))
            (local.set $end (i32.add (local.get $a0) (local.get $rowA)))
            (local.set $bp (i32.add (local.get $B) (i32.shl (local.get $j) (i32.const 3))))
            (block $innerDone
              (loop $inner
                (br_if $innerDone (i32.ge_u (local.get $pa) (local.get $end)))
                (local.set $x0 (f64x2.splat (f64.load (local.get $pa))))
                (local.set $x1 (f64x2.splat (f64.load (i32.add (local.get $pa) (local.get $rowA)))))
                (local.set $y (v128.load (local.get $bp)))
                (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $y))))
                (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load offset=16 (local.get $bp)))
                (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $y))))
                (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load offset=32 (local.get $bp)))
                (local.set $s02 (f64x2.add (local.get $s02) (f64x2.mul (local.get $x0) (local.get $y))))
                (local.set $s12 (f64x2.add (local.get $s12) (f64x2.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load offset=48 (local.get $bp)))
                (local.set $s03 (f64x2.add (local.get $s03) (f64x2.mul (local.get $x0) (local.get $y))))
                (local.set $s13 (f64x2.add (local.get $s13) (f64x2.mul (local.get $x1) (local.get $y))))
                (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
                (local.set $bp (i32.add (local.get $bp) (local.get $rowB)))
                (br $inner)))
            (local.set $bp (i32.shl (local.get $j) (i32.const 3)))
            (v128.store (i32.add (local.get $c0) (local.get $bp)) (local.get $s00))
            (v128.store offset=16 (i32.add (local.get $c0) (local.get $bp)) (local.get $s01))
            (v128.store offset=32 (i32.add (local.get $c0) (local.get $bp)) (local.get $s02))
            (v128.store offset=48 (i32.add (local.get $c0) (local.get $bp)) (local.get $s03))
            (v128.store (i32.add (local.get $c1) (local.get $bp)) (local.get $s10))
            (v128.store offset=16 (i32.add (local.get $c1) (local.get $bp)) (local.get $s11))
            (v128.store offset=32 (i32.add (local.get $c1) (local.get $bp)) (local.get $s12))
            (v128.store offset=48 (i32.add (local.get $c1) (local.get $bp)) (local.get $s13))
            (local.set $i (i32.add (local.get $i) (i32.const 2)))
            (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $cols)))
    ;; the last m mod 8 columns of the row pairs
    (local.set $i (i32.const 0))
    (block $edgeDone
      (loop $edge
        (br_if $edgeDone (i32.ge_u (local.get $i) (local.get $n2)))
        (call $row
          (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $rowA)))
          (i32.add (local.get $C) (i32.mul (local.get $i) (local.get $rowB)))
          (local.get $B) (local.get $k) (local.get $rowB) (local.get $m8) (local.get $m))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $edge)))
    ;; the whole last row when n is odd
    (if (i32.lt_u (local.get $n2) (local.get $n))
      (then
        (call $row
          (i32.add (local.get $A) (i32.mul (local.get $n2) (local.get $rowA)))
          (i32.add (local.get $C) (i32.mul (local.get $n2) (local.get $rowB)))
          (local.get $B) (local.get $k) (local.get $rowB) (i32.const 0) (local.get $m))))))
