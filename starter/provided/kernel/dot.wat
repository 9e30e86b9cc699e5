;; Dense matmul kernel on packed operands: C = A B, float64, all addresses in bytes.
;;
;; The caller (dot.ts) copies the operands in and calls "pack" to lay out
;; op(A), n x k, as panels of 4 rows stored p-major (Ap[(ip k + p) 4 + r] =
;; A[4 ip + r][p]) and op(B), k x m, as panels of 4 columns (Bp[(jp k + p) 4 + c]
;; = B[p][4 jp + c]), zero-padded to whole panels; C is (4 np) x m row-major.
;; Packing turns every read of the inner loop into a contiguous one and handles
;; transposed operands for free.
;;
;; Each f64x2 lane holds one output C[i][j] and adds A[i][p] * B[p][j] for
;; p = 0, 1, ..., k-1 in that order, starting from 0: exactly the order of the
;; JavaScript kernel in dot-js.ts, so both give the same bits. The p range is cut
;; into blocks of $kc (so a B panel stays in L1); a later block resumes from the
;; sums the earlier one stored, which keeps the order. Plain f64x2 mul and add
;; only (no fma, no relaxed SIMD): deterministic IEEE arithmetic.
;;
;; A mostly-zero A (MNIST pixels) goes through the sparse path instead: B packed
;; in panels of 8 columns ("packCols8"), then "sparseRows" packs A in panels of 2
;; rows and leaves out the p where a row panel's 2 values are all zero: with a
;; finite B those terms are +0 or -0, and adding them cannot change a sum that
;; starts at +0 (it never becomes -0), so the bits are the same.
;;
;; Build with `npx tsx scripts/build-kernel.ts`, which writes dot-wasm.ts.
(module
  (memory (export "memory") 1)

  ;; One 4x4 tile of C: p over [p0, p0 + $len) of the row panel at $pa and the
  ;; column panel at $pb (both already offset to p0), $len >= 1; $c: the tile's top
  ;; left in C, $rowC: C's row stride; $cols: how many of the tile's 4 columns C has; $resume: 0 starts the sums at 0, else at C's values (a resumed
  ;; partial tile also reads up to 3 values past its row, never stored back).
  (func $tile (param $pa i32) (param $pb i32) (param $len i32) (param $c i32) (param $rowC i32) (param $cols i32) (param $resume i32)
    (local $end i32) (local $row i32) (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    ;; the accumulators start at +0 (WebAssembly zeroes locals), or resume from C
    (if (local.get $resume)
      (then
        (local.set $c00 (v128.load offset=0 (i32.add (local.get $c) (i32.mul (i32.const 0) (local.get $rowC)))))
        (local.set $c01 (v128.load offset=16 (i32.add (local.get $c) (i32.mul (i32.const 0) (local.get $rowC)))))
        (local.set $c10 (v128.load offset=0 (i32.add (local.get $c) (i32.mul (i32.const 1) (local.get $rowC)))))
        (local.set $c11 (v128.load offset=16 (i32.add (local.get $c) (i32.mul (i32.const 1) (local.get $rowC)))))
        (local.set $c20 (v128.load offset=0 (i32.add (local.get $c) (i32.mul (i32.const 2) (local.get $rowC)))))
        (local.set $c21 (v128.load offset=16 (i32.add (local.get $c) (i32.mul (i32.const 2) (local.get $rowC)))))
        (local.set $c30 (v128.load offset=0 (i32.add (local.get $c) (i32.mul (i32.const 3) (local.get $rowC)))))
        (local.set $c31 (v128.load offset=16 (i32.add (local.get $c) (i32.mul (i32.const 3) (local.get $rowC)))))))
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $len) (i32.const 5))))
    (loop $next
      (local.set $b0 (v128.load offset=0 (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      (local.set $x (v128.load64_splat offset=0 (local.get $pa)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat offset=8 (local.get $pa)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat offset=16 (local.get $pa)))
      (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat offset=24 (local.get $pa)))
      (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (br_if $next (i32.lt_u (local.get $pa) (local.get $end))))
    ;; the sums, row r from $c + r $rowC: all 4 columns, or only the first $cols of a
    ;; last, partial column panel, so C needs no padding columns
    (local.set $row (i32.add (local.get $c) (i32.mul (i32.const 0) (local.get $rowC))))
    (if (i32.ge_u (local.get $cols) (i32.const 2))
      (then
        (v128.store (local.get $row) (local.get $c00))
        (if (i32.eq (local.get $cols) (i32.const 4))
          (then (v128.store offset=16 (local.get $row) (local.get $c01)))
          (else (if (i32.eq (local.get $cols) (i32.const 3))
            (then (f64.store offset=16 (local.get $row) (f64x2.extract_lane 0 (local.get $c01))))))))
      (else (f64.store (local.get $row) (f64x2.extract_lane 0 (local.get $c00)))))
    (local.set $row (i32.add (local.get $c) (i32.mul (i32.const 1) (local.get $rowC))))
    (if (i32.ge_u (local.get $cols) (i32.const 2))
      (then
        (v128.store (local.get $row) (local.get $c10))
        (if (i32.eq (local.get $cols) (i32.const 4))
          (then (v128.store offset=16 (local.get $row) (local.get $c11)))
          (else (if (i32.eq (local.get $cols) (i32.const 3))
            (then (f64.store offset=16 (local.get $row) (f64x2.extract_lane 0 (local.get $c11))))))))
      (else (f64.store (local.get $row) (f64x2.extract_lane 0 (local.get $c10)))))
    (local.set $row (i32.add (local.get $c) (i32.mul (i32.const 2) (local.get $rowC))))
    (if (i32.ge_u (local.get $cols) (i32.const 2))
      (then
        (v128.store (local.get $row) (local.get $c20))
        (if (i32.eq (local.get $cols) (i32.const 4))
          (then (v128.store offset=16 (local.get $row) (local.get $c21)))
          (else (if (i32.eq (local.get $cols) (i32.const 3))
            (then (f64.store offset=16 (local.get $row) (f64x2.extract_lane 0 (local.get $c21))))))))
      (else (f64.store (local.get $row) (f64x2.extract_lane 0 (local.get $c20)))))
    (local.set $row (i32.add (local.get $c) (i32.mul (i32.const 3) (local.get $rowC))))
    (if (i32.ge_u (local.get $cols) (i32.const 2))
      (then
        (v128.store (local.get $row) (local.get $c30))
        (if (i32.eq (local.get $cols) (i32.const 4))
          (then (v128.store offset=16 (local.get $row) (local.get $c31)))
          (else (if (i32.eq (local.get $cols) (i32.const 3))
            (then (f64.store offset=16 (local.get $row) (f64x2.extract_lane 0 (local.get $c31))))))))
      (else (f64.store (local.get $row) (f64x2.extract_lane 0 (local.get $c30))))))

  ;; The tile of a last column panel with 1 or 2 columns (as for 10 classes): the same
  ;; sums over the panel's first 2 columns only, half the work of a 4x4 tile.
  (func $tile2 (param $pa i32) (param $pb i32) (param $len i32) (param $c i32) (param $rowC i32) (param $cols i32) (param $resume i32)
    (local $end i32) (local $row i32) (local $x v128) (local $b v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (if (local.get $resume)
      (then
        (local.set $c0 (v128.load (i32.add (local.get $c) (i32.mul (i32.const 0) (local.get $rowC)))))
        (local.set $c1 (v128.load (i32.add (local.get $c) (i32.mul (i32.const 1) (local.get $rowC)))))
        (local.set $c2 (v128.load (i32.add (local.get $c) (i32.mul (i32.const 2) (local.get $rowC)))))
        (local.set $c3 (v128.load (i32.add (local.get $c) (i32.mul (i32.const 3) (local.get $rowC)))))))
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $len) (i32.const 5))))
    (loop $next
      (local.set $b (v128.load (local.get $pb)))
      (local.set $x (v128.load64_splat offset=0 (local.get $pa)))
      (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $x) (local.get $b))))
      (local.set $x (v128.load64_splat offset=8 (local.get $pa)))
      (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $x) (local.get $b))))
      (local.set $x (v128.load64_splat offset=16 (local.get $pa)))
      (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $x) (local.get $b))))
      (local.set $x (v128.load64_splat offset=24 (local.get $pa)))
      (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $x) (local.get $b))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (br_if $next (i32.lt_u (local.get $pa) (local.get $end))))
    (local.set $row (i32.add (local.get $c) (i32.mul (i32.const 0) (local.get $rowC))))
    (if (i32.eq (local.get $cols) (i32.const 2))
      (then (v128.store (local.get $row) (local.get $c0)))
      (else (f64.store (local.get $row) (f64x2.extract_lane 0 (local.get $c0)))))
    (local.set $row (i32.add (local.get $c) (i32.mul (i32.const 1) (local.get $rowC))))
    (if (i32.eq (local.get $cols) (i32.const 2))
      (then (v128.store (local.get $row) (local.get $c1)))
      (else (f64.store (local.get $row) (f64x2.extract_lane 0 (local.get $c1)))))
    (local.set $row (i32.add (local.get $c) (i32.mul (i32.const 2) (local.get $rowC))))
    (if (i32.eq (local.get $cols) (i32.const 2))
      (then (v128.store (local.get $row) (local.get $c2)))
      (else (f64.store (local.get $row) (f64x2.extract_lane 0 (local.get $c2)))))
    (local.set $row (i32.add (local.get $c) (i32.mul (i32.const 3) (local.get $rowC))))
    (if (i32.eq (local.get $cols) (i32.const 2))
      (then (v128.store (local.get $row) (local.get $c3)))
      (else (f64.store (local.get $row) (f64x2.extract_lane 0 (local.get $c3))))))

  ;; Packs X (rows x k) into panels of 4 rows, p-major: dst[(q k + p) 4 + r] = X[4 q + r][p].
  ;; src holds X row-major, or X^T (k x rows) when $trans; the caller zeroes the
  ;; padding rows of a last, partial panel. Reads run along src's rows either way.
  ;; Returns 1 when every value of X is finite, else 0 (x - x is 0 for a finite x and
  ;; NaN for an infinity or NaN, and a NaN sticks in the sums $bad and $badTail).
  (func (export "pack") (param $src i32) (param $dst i32) (param $rows i32) (param $k i32) (param $trans i32) (result i32)
    (local $full i32) (local $panel i32) (local $r i32) (local $p i32) (local $d i32)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $row i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $bad v128) (local $badTail f64) (local $x f64)
    (local.set $full (i32.and (local.get $rows) (i32.const -4)))
    (local.set $panel (i32.shl (local.get $k) (i32.const 5)))
    (local.set $row (i32.shl (local.get $k) (i32.const 3)))
    (if (local.get $trans)
      (then
        ;; row p of X^T: 4 values at a time into the slot p of each panel, then the partial panel
        (local.set $s0 (local.get $src))
        (block $pDone
          (loop $ps
            (br_if $pDone (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $p) (i32.const 5))))
            (local.set $r (i32.const 0))
            (block $qDone
              (loop $qs
                (br_if $qDone (i32.ge_u (local.get $r) (local.get $full)))
                (local.set $v0 (v128.load (local.get $s0)))
                (local.set $v1 (v128.load offset=16 (local.get $s0)))
                (v128.store (local.get $d) (local.get $v0))
                (v128.store offset=16 (local.get $d) (local.get $v1))
                (local.set $bad (f64x2.add (local.get $bad) (f64x2.add (f64x2.sub (local.get $v0) (local.get $v0)) (f64x2.sub (local.get $v1) (local.get $v1)))))
                (local.set $s0 (i32.add (local.get $s0) (i32.const 32)))
                (local.set $d (i32.add (local.get $d) (local.get $panel)))
                (local.set $r (i32.add (local.get $r) (i32.const 4)))
                (br $qs)))
            (block $tailDone
              (loop $tail
                (br_if $tailDone (i32.ge_u (local.get $r) (local.get $rows)))
                (local.set $x (f64.load (local.get $s0)))
                (f64.store (local.get $d) (local.get $x))
                (local.set $badTail (f64.add (local.get $badTail) (f64.sub (local.get $x) (local.get $x))))
                (local.set $s0 (i32.add (local.get $s0) (i32.const 8)))
                (local.set $d (i32.add (local.get $d) (i32.const 8)))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br $tail)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $ps))))
      (else
        ;; 4 rows of X at a time, 2 values of p from each: interleave them into 2 slots of 4
        (block $qDone
          (loop $qs
            (br_if $qDone (i32.ge_u (local.get $r) (local.get $full)))
            (local.set $s0 (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $row))))
            (local.set $s1 (i32.add (local.get $s0) (local.get $row)))
            (local.set $s2 (i32.add (local.get $s1) (local.get $row)))
            (local.set $s3 (i32.add (local.get $s2) (local.get $row)))
            (local.set $d (i32.add (local.get $dst) (i32.mul (i32.shr_u (local.get $r) (i32.const 2)) (local.get $panel))))
            (local.set $p (i32.const 0))
            (block $pDone
              (loop $ps
                (br_if $pDone (i32.gt_u (i32.add (local.get $p) (i32.const 2)) (local.get $k)))
                (local.set $v0 (v128.load (local.get $s0)))
                (local.set $v1 (v128.load (local.get $s1)))
                (local.set $v2 (v128.load (local.get $s2)))
                (local.set $v3 (v128.load (local.get $s3)))
                (local.set $bad (f64x2.add (local.get $bad)
                  (f64x2.add (f64x2.add (f64x2.sub (local.get $v0) (local.get $v0)) (f64x2.sub (local.get $v1) (local.get $v1)))
                             (f64x2.add (f64x2.sub (local.get $v2) (local.get $v2)) (f64x2.sub (local.get $v3) (local.get $v3))))))
                (v128.store (local.get $d)
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
                (v128.store offset=16 (local.get $d)
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v2) (local.get $v3)))
                (v128.store offset=32 (local.get $d)
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
                (v128.store offset=48 (local.get $d)
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v2) (local.get $v3)))
                (local.set $s0 (i32.add (local.get $s0) (i32.const 16)))
                (local.set $s1 (i32.add (local.get $s1) (i32.const 16)))
                (local.set $s2 (i32.add (local.get $s2) (i32.const 16)))
                (local.set $s3 (i32.add (local.get $s3) (i32.const 16)))
                (local.set $d (i32.add (local.get $d) (i32.const 64)))
                (local.set $p (i32.add (local.get $p) (i32.const 2)))
                (br $ps)))
            (if (i32.lt_u (local.get $p) (local.get $k))
              (then
                (local.set $v0 (v128.load64_zero (local.get $s0)))
                (local.set $v1 (v128.load64_zero (local.get $s1)))
                (local.set $v2 (v128.load64_zero (local.get $s2)))
                (local.set $v3 (v128.load64_zero (local.get $s3)))
                (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
                (v128.store offset=16 (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v2) (local.get $v3)))
                (local.set $bad (f64x2.add (local.get $bad)
                  (f64x2.add (f64x2.add (f64x2.sub (local.get $v0) (local.get $v0)) (f64x2.sub (local.get $v1) (local.get $v1)))
                             (f64x2.add (f64x2.sub (local.get $v2) (local.get $v2)) (f64x2.sub (local.get $v3) (local.get $v3))))))))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $qs)))
        ;; the rows of a partial last panel, each down one column of it
        (block $rDone
          (loop $rs
            (br_if $rDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $s0 (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $row))))
            (local.set $d
              (i32.add (local.get $dst)
                (i32.add (i32.mul (i32.shr_u (local.get $r) (i32.const 2)) (local.get $panel))
                         (i32.shl (i32.and (local.get $r) (i32.const 3)) (i32.const 3)))))
            (local.set $p (i32.const 0))
            (block $pDone
              (loop $ps
                (br_if $pDone (i32.ge_u (local.get $p) (local.get $k)))
                (local.set $x (f64.load (local.get $s0)))
                (f64.store (local.get $d) (local.get $x))
                (local.set $badTail (f64.add (local.get $badTail) (f64.sub (local.get $x) (local.get $x))))
                (local.set $s0 (i32.add (local.get $s0) (i32.const 8)))
                (local.set $d (i32.add (local.get $d) (i32.const 32)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $ps)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rs)))))
    (i32.and
      (i32.eqz (v128.any_true (f64x2.ne (local.get $bad) (v128.const f64x2 0 0))))
      (f64.eq (local.get $badTail) (f64.const 0))))

  ;; C = A B over np row panels, k, mp column panels, in p blocks of $kc: C is row-major with
  ;; $m columns (4 mp - 3 <= $m <= 4 mp) and 4 np rows, and 3 values of slack after its last row.
  (func (export "matmul") (param $Ap i32) (param $Bp i32) (param $C i32) (param $np i32) (param $k i32) (param $mp i32) (param $kc i32) (param $m i32)
    (local $p0 i32) (local $len i32) (local $ip i32) (local $jp i32) (local $rowC i32) (local $panel i32) (local $cols i32)
    (local $a i32) (local $b i32) (local $c i32)
    (local.set $rowC (i32.shl (local.get $m) (i32.const 3)))
    (local.set $panel (i32.shl (local.get $k) (i32.const 5)))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $p0) (local.get $k)))
        (local.set $len (i32.sub (local.get $k) (local.get $p0)))
        (if (i32.gt_u (local.get $len) (local.get $kc)) (then (local.set $len (local.get $kc))))
        ;; one column panel of B (in L1) against every row panel of A
        (local.set $jp (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $jp) (local.get $mp)))
            (local.set $cols (i32.sub (local.get $m) (i32.shl (local.get $jp) (i32.const 2))))
            (if (i32.gt_u (local.get $cols) (i32.const 4)) (then (local.set $cols (i32.const 4))))
            (local.set $ip (i32.const 0))
            (block $rowsDone
              (loop $rows
                (br_if $rowsDone (i32.ge_u (local.get $ip) (local.get $np)))
                (local.set $a (i32.add (local.get $Ap) (i32.add (i32.mul (local.get $ip) (local.get $panel)) (i32.shl (local.get $p0) (i32.const 5)))))
                (local.set $b (i32.add (local.get $Bp) (i32.add (i32.mul (local.get $jp) (local.get $panel)) (i32.shl (local.get $p0) (i32.const 5)))))
                (local.set $c (i32.add (local.get $C) (i32.add (i32.mul (i32.shl (local.get $ip) (i32.const 2)) (local.get $rowC)) (i32.shl (local.get $jp) (i32.const 5)))))
                (if (i32.le_u (local.get $cols) (i32.const 2))
                  (then (call $tile2 (local.get $a) (local.get $b) (local.get $len) (local.get $c) (local.get $rowC) (local.get $cols) (local.get $p0)))
                  (else (call $tile (local.get $a) (local.get $b) (local.get $len) (local.get $c) (local.get $rowC) (local.get $cols) (local.get $p0))))
                (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
                (br $rows)))
            (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
            (br $cols)))
        (local.set $p0 (i32.add (local.get $p0) (local.get $len)))
        (br $blocks))))

  ;; ---- The sparse path: 2-row panels of A, 8-column panels of B ----
  ;; For a mostly-zero A (MNIST pixels) the kernel skips every p where a row panel's values are
  ;; all zero. Panels of 2 rows find far more such p than panels of 4 (MNIST: 71% against 61%
  ;; of the forward product's), and a 2x8 tile does the same work per kept p as the dense 4x4
  ;; one (6 loads, 8 f64x2 multiply-adds).

  ;; Packs A (rows x k) into panels of 2 rows, p-major: dst[(q k + p) 2 + r] = A[2 q + r][p], a
  ;; missing last row as zeros. src holds A row-major, or A^T (k x rows) when $trans, with $ld
  ;; values from one row of src to the next (k, or the rows of the whole A^T when this is a part of it).
  (func $packRows2 (param $src i32) (param $dst i32) (param $rows i32) (param $k i32) (param $trans i32) (param $ld i32)
    (local $q i32) (local $np i32) (local $p i32) (local $s0 i32) (local $s1 i32) (local $d i32) (local $v0 v128) (local $v1 v128) (local $pair i32)
    (local.set $np (i32.shr_u (i32.add (local.get $rows) (i32.const 1)) (i32.const 1)))
    (local.set $d (local.get $dst))
    (block $qDone
      (loop $qs
        (br_if $qDone (i32.ge_u (local.get $q) (local.get $np)))
        (local.set $pair (i32.lt_u (i32.add (i32.shl (local.get $q) (i32.const 1)) (i32.const 1)) (local.get $rows)))
        (local.set $p (i32.const 0))
        (if (local.get $trans)
          (then
            ;; A^T's row p holds A[2q][p] and A[2q + 1][p] side by side
            (local.set $s0 (i32.add (local.get $src) (i32.shl (i32.shl (local.get $q) (i32.const 1)) (i32.const 3))))
            (block $pDone
              (loop $ps
                (br_if $pDone (i32.ge_u (local.get $p) (local.get $k)))
                (if (local.get $pair)
                  (then (v128.store (local.get $d) (v128.load (local.get $s0))))
                  (else (v128.store (local.get $d) (v128.load64_zero (local.get $s0)))))
                (local.set $s0 (i32.add (local.get $s0) (i32.shl (local.get $ld) (i32.const 3))))
                (local.set $d (i32.add (local.get $d) (i32.const 16)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $ps))))
          (else
            ;; rows 2q and 2q + 1, two values of p at a time, interleaved
            (local.set $s0 (i32.add (local.get $src) (i32.mul (i32.shl (local.get $q) (i32.const 1)) (i32.shl (local.get $ld) (i32.const 3)))))
            (local.set $s1 (i32.add (local.get $s0) (i32.shl (local.get $ld) (i32.const 3))))
            (block $pDone
              (loop $ps
                (br_if $pDone (i32.gt_u (i32.add (local.get $p) (i32.const 2)) (local.get $k)))
                (local.set $v0 (v128.load (local.get $s0)))
                (local.set $v1 (if (result v128) (local.get $pair) (then (v128.load (local.get $s1))) (else (v128.const i64x2 0 0))))
                (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
                (v128.store offset=16 (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
                (local.set $s0 (i32.add (local.get $s0) (i32.const 16)))
                (local.set $s1 (i32.add (local.get $s1) (i32.const 16)))
                (local.set $d (i32.add (local.get $d) (i32.const 32)))
                (local.set $p (i32.add (local.get $p) (i32.const 2)))
                (br $ps)))
            (if (i32.lt_u (local.get $p) (local.get $k))
              (then
                (v128.store (local.get $d) (f64x2.replace_lane 1 (v128.load64_zero (local.get $s0))
                  (if (result f64) (local.get $pair) (then (f64.load (local.get $s1))) (else (f64.const 0)))))
                (local.set $d (i32.add (local.get $d) (i32.const 16)))))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $qs))))

  ;; Packs B (k x m) into panels of 8 columns: dst[(jp k + p) 8 + c] = B[p][8 jp + c], zeros past
  ;; column m. src holds B row-major, or B^T (m x k) when $trans. Returns 1 when every value of B
  ;; is finite (x - x is 0 for a finite x, NaN otherwise, and a NaN sticks in $bad).
  (func (export "packCols8") (param $src i32) (param $dst i32) (param $k i32) (param $m i32) (param $trans i32) (result i32)
    (local $jp i32) (local $mp i32) (local $p i32) (local $c i32) (local $j i32) (local $s i32) (local $d i32) (local $row i32)
    (local $v f64) (local $badTail f64) (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $bad v128)
    (local.set $mp (i32.shr_u (i32.add (local.get $m) (i32.const 7)) (i32.const 3)))
    (local.set $row (i32.shl (local.get $m) (i32.const 3)))
    (local.set $d (local.get $dst))
    (block $jDone
      (loop $js
        (br_if $jDone (i32.ge_u (local.get $jp) (local.get $mp)))
        (local.set $p (i32.const 0))
        (if (i32.and (i32.eqz (local.get $trans)) (i32.le_u (i32.shl (i32.add (local.get $jp) (i32.const 1)) (i32.const 3)) (local.get $m)))
          (then
            ;; a whole panel of a row-major B: 8 contiguous values of each row
            (local.set $s (i32.add (local.get $src) (i32.shl (local.get $jp) (i32.const 6))))
            (block $pDone
              (loop $ps
                (br_if $pDone (i32.ge_u (local.get $p) (local.get $k)))
                (local.set $v0 (v128.load offset=0 (local.get $s)))
                (local.set $v1 (v128.load offset=16 (local.get $s)))
                (local.set $v2 (v128.load offset=32 (local.get $s)))
                (local.set $v3 (v128.load offset=48 (local.get $s)))
                (v128.store offset=0 (local.get $d) (local.get $v0))
                (v128.store offset=16 (local.get $d) (local.get $v1))
                (v128.store offset=32 (local.get $d) (local.get $v2))
                (v128.store offset=48 (local.get $d) (local.get $v3))
                (local.set $bad (f64x2.add (local.get $bad)
                  (f64x2.add (f64x2.add (f64x2.sub (local.get $v0) (local.get $v0)) (f64x2.sub (local.get $v1) (local.get $v1)))
                             (f64x2.add (f64x2.sub (local.get $v2) (local.get $v2)) (f64x2.sub (local.get $v3) (local.get $v3))))))
                (local.set $s (i32.add (local.get $s) (local.get $row)))
                (local.set $d (i32.add (local.get $d) (i32.const 64)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $ps))))
          (else
            ;; B^T, or the last, partial panel: one value at a time
            (block $pDone
              (loop $ps
                (br_if $pDone (i32.ge_u (local.get $p) (local.get $k)))
                (local.set $c (i32.const 0))
                (block $cDone
                  (loop $cs
                    (br_if $cDone (i32.ge_u (local.get $c) (i32.const 8)))
                    (local.set $j (i32.add (i32.shl (local.get $jp) (i32.const 3)) (local.get $c)))
                    (local.set $v (f64.const 0))
                    (if (i32.lt_u (local.get $j) (local.get $m))
                      (then
                        (local.set $v (f64.load (i32.add (local.get $src) (i32.shl
                          (if (result i32) (local.get $trans)
                            (then (i32.add (i32.mul (local.get $j) (local.get $k)) (local.get $p)))
                            (else (i32.add (i32.mul (local.get $p) (local.get $m)) (local.get $j))))
                          (i32.const 3)))))
                        (local.set $badTail (f64.add (local.get $badTail) (f64.sub (local.get $v) (local.get $v))))))
                    (f64.store (local.get $d) (local.get $v))
                    (local.set $d (i32.add (local.get $d) (i32.const 8)))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $cs)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $ps)))))
        (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
        (br $js)))
    (i32.and
      (i32.eqz (v128.any_true (f64x2.ne (local.get $bad) (v128.const f64x2 0 0))))
      (f64.eq (local.get $badTail) (f64.const 0))))

  ;; Drops the all-zero columns of each of the np 2-row panels of packed A (k columns each), in
  ;; place: the kept ones move to the front of their panel, in order of p, and the panel's list
  ;; at $idx + ip (k + 1) 4 gets their count, then each one's p * 64 (row p of an 8-column panel of B).
  (func $compress (param $Ap i32) (param $np i32) (param $k i32) (param $idx i32)
    (local $ip i32) (local $p i32) (local $src i32) (local $dst i32) (local $list i32) (local $at i32) (local $v v128)
    (local.set $src (local.get $Ap))
    (local.set $list (local.get $idx))
    (block $panelsDone
      (loop $panels
        (br_if $panelsDone (i32.ge_u (local.get $ip) (local.get $np)))
        (local.set $dst (local.get $src))
        (local.set $at (i32.add (local.get $list) (i32.const 4)))
        (local.set $p (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $p) (local.get $k)))
            (local.set $v (v128.load (local.get $src)))
            (if (v128.any_true (f64x2.ne (local.get $v) (v128.const f64x2 0 0)))
              (then
                (v128.store (local.get $dst) (local.get $v))
                (i32.store (local.get $at) (i32.shl (local.get $p) (i32.const 6)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                (local.set $at (i32.add (local.get $at) (i32.const 4)))))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $cols)))
        (i32.store (local.get $list) (i32.shr_u (i32.sub (local.get $at) (i32.add (local.get $list) (i32.const 4))) (i32.const 2)))
        (local.set $list (i32.add (local.get $list) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 2))))
        (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
        (br $panels))))

  ;; Stores the first $cols (1..8) of the 8 sums v0..v3 (2 per vector) at $row.
  (func $store8 (param $row i32) (param $cols i32) (param $v0 v128) (param $v1 v128) (param $v2 v128) (param $v3 v128)
    (if (i32.eq (local.get $cols) (i32.const 8))
      (then
        (v128.store offset=0 (local.get $row) (local.get $v0))
        (v128.store offset=16 (local.get $row) (local.get $v1))
        (v128.store offset=32 (local.get $row) (local.get $v2))
        (v128.store offset=48 (local.get $row) (local.get $v3))
        (return)))
    ;; a last, partial panel: whole vectors while two columns remain, then one lane
    (if (i32.lt_u (local.get $cols) (i32.const 2)) (then (f64.store (local.get $row) (f64x2.extract_lane 0 (local.get $v0))) (return)))
    (v128.store (local.get $row) (local.get $v0))
    (if (i32.eq (local.get $cols) (i32.const 3)) (then (f64.store offset=16 (local.get $row) (f64x2.extract_lane 0 (local.get $v1)))))
    (if (i32.lt_u (local.get $cols) (i32.const 4)) (then (return)))
    (v128.store offset=16 (local.get $row) (local.get $v1))
    (if (i32.eq (local.get $cols) (i32.const 5)) (then (f64.store offset=32 (local.get $row) (f64x2.extract_lane 0 (local.get $v2)))))
    (if (i32.lt_u (local.get $cols) (i32.const 6)) (then (return)))
    (v128.store offset=32 (local.get $row) (local.get $v2))
    (if (i32.eq (local.get $cols) (i32.const 7)) (then (f64.store offset=48 (local.get $row) (f64x2.extract_lane 0 (local.get $v3))))))

  ;; One 2x8 tile of C over a compressed row panel: $list holds the panel's count of kept values
  ;; of p, then each one's byte offset p * 64 into the column panel at $pb; the kept columns of A
  ;; follow one another from $pa. Whole p range from +0: the skipped terms are 0 * B[p][j], which
  ;; cannot change such a sum when B is finite, so the bits are the dense kernel's.
  (func $tileSparse (param $pa i32) (param $list i32) (param $pb i32) (param $c i32) (param $rowC i32) (param $cols i32) (param $rows i32)
    (local $end i32) (local $at i32) (local $x0 v128) (local $x1 v128) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128) (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local.set $end (i32.add (i32.add (local.get $list) (i32.const 4)) (i32.shl (i32.load (local.get $list)) (i32.const 2))))
    (local.set $list (i32.add (local.get $list) (i32.const 4)))
    (if (i32.lt_u (local.get $list) (local.get $end))
      (then
        (loop $next
          (local.set $at (i32.add (local.get $pb) (i32.load (local.get $list))))
          (local.set $x0 (v128.load64_splat offset=0 (local.get $pa)))
          (local.set $x1 (v128.load64_splat offset=8 (local.get $pa)))
          (local.set $b0 (v128.load offset=0 (local.get $at)))
          (local.set $b1 (v128.load offset=16 (local.get $at)))
          (local.set $b2 (v128.load offset=32 (local.get $at)))
          (local.set $b3 (v128.load offset=48 (local.get $at)))
          (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x0) (local.get $b0))))
          (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x0) (local.get $b1))))
          (local.set $c02 (f64x2.add (local.get $c02) (f64x2.mul (local.get $x0) (local.get $b2))))
          (local.set $c03 (f64x2.add (local.get $c03) (f64x2.mul (local.get $x0) (local.get $b3))))
          (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x1) (local.get $b0))))
          (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x1) (local.get $b1))))
          (local.set $c12 (f64x2.add (local.get $c12) (f64x2.mul (local.get $x1) (local.get $b2))))
          (local.set $c13 (f64x2.add (local.get $c13) (f64x2.mul (local.get $x1) (local.get $b3))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
          (local.set $list (i32.add (local.get $list) (i32.const 4)))
          (br_if $next (i32.lt_u (local.get $list) (local.get $end))))))
    (if (i32.and (i32.eq (local.get $cols) (i32.const 8)) (i32.eq (local.get $rows) (i32.const 2)))
      (then
        ;; a whole tile (nearly all of them): stored here, without the calls
        (v128.store offset=0 (local.get $c) (local.get $c00))
        (v128.store offset=16 (local.get $c) (local.get $c01))
        (v128.store offset=32 (local.get $c) (local.get $c02))
        (v128.store offset=48 (local.get $c) (local.get $c03))
        (local.set $c (i32.add (local.get $c) (local.get $rowC)))
        (v128.store offset=0 (local.get $c) (local.get $c10))
        (v128.store offset=16 (local.get $c) (local.get $c11))
        (v128.store offset=32 (local.get $c) (local.get $c12))
        (v128.store offset=48 (local.get $c) (local.get $c13))
        (return)))
    (call $store8 (local.get $c) (local.get $cols) (local.get $c00) (local.get $c01) (local.get $c02) (local.get $c03))
    ;; the second row of a last panel of an odd number of rows is padding: not stored
    (if (i32.eq (local.get $rows) (i32.const 2))
      (then (call $store8 (i32.add (local.get $c) (local.get $rowC)) (local.get $cols) (local.get $c10) (local.get $c11) (local.get $c12) (local.get $c13)))))

  ;; C = A B over A compressed by "compress" (lists at $idx) and B packed by packCols8: the $np
  ;; row panels (the last one has one row when $n is odd; $n counts from the first panel
  ;; given) times $mp column panels; C is row-major with $m columns, rows stored exactly.
  (func $matmulSparse (param $Ap i32) (param $idx i32) (param $Bp i32) (param $C i32) (param $n i32) (param $k i32) (param $mp i32) (param $m i32)
    (local $np i32) (local $ip i32) (local $jp i32) (local $rowC i32) (local $panelB i32) (local $cols i32) (local $rows i32)
    (local.set $np (i32.shr_u (i32.add (local.get $n) (i32.const 1)) (i32.const 1)))
    (local.set $rowC (i32.shl (local.get $m) (i32.const 3)))
    (local.set $panelB (i32.shl (local.get $k) (i32.const 6)))
    (block $colsDone
      (loop $colsLoop
        (br_if $colsDone (i32.ge_u (local.get $jp) (local.get $mp)))
        (local.set $cols (i32.sub (local.get $m) (i32.shl (local.get $jp) (i32.const 3))))
        (if (i32.gt_u (local.get $cols) (i32.const 8)) (then (local.set $cols (i32.const 8))))
        (local.set $ip (i32.const 0))
        (block $rowsDone
          (loop $rowsLoop
            (br_if $rowsDone (i32.ge_u (local.get $ip) (local.get $np)))
            (local.set $rows (i32.sub (local.get $n) (i32.shl (local.get $ip) (i32.const 1))))
            (call $tileSparse
              (i32.add (local.get $Ap) (i32.mul (local.get $ip) (i32.shl (local.get $k) (i32.const 4))))
              (i32.add (local.get $idx) (i32.mul (local.get $ip) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 2))))
              (i32.add (local.get $Bp) (i32.mul (local.get $jp) (local.get $panelB)))
              (i32.add (local.get $C) (i32.add (i32.mul (i32.shl (local.get $ip) (i32.const 1)) (local.get $rowC)) (i32.shl (local.get $jp) (i32.const 6))))
              (local.get $rowC)
              (local.get $cols)
              (if (result i32) (i32.ge_u (local.get $rows) (i32.const 2)) (then (i32.const 2)) (else (i32.const 1))))
            (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
            (br $rowsLoop)))
        (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
        (br $colsLoop))))
  ;; The sparse product for $n rows of A (all of them, or a thread's share): packs them from $src
  ;; (as packRows2, $ld apart) into 2-row panels at $Ap, drops their zero columns (lists at $idx)
  ;; and computes those rows of C = A B over B packed by packCols8 ($mp panels). It goes through
  ;; the rows in blocks of 64 (32 panels), each packed, compressed and multiplied in turn, so a
  ;; block of packed A stays in cache while every panel of B passes over it (a sixth faster on
  ;; MNIST's forward product than one block of 200 rows). Every step works on these rows alone,
  ;; so two threads can each run a share of the rows at once.
  (func (export "sparseRows") (param $src i32) (param $ld i32) (param $trans i32) (param $Ap i32) (param $idx i32)
    (param $Bp i32) (param $C i32) (param $n i32) (param $k i32) (param $mp i32) (param $m i32)
    (local $r0 i32) (local $rows i32) (local $a i32) (local $list i32)
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $r0) (local.get $n)))
        (local.set $rows (i32.sub (local.get $n) (local.get $r0)))
        (if (i32.gt_u (local.get $rows) (i32.const 64)) (then (local.set $rows (i32.const 64))))
        ;; this block's panels and lists, at the places of panel r0 / 2 in the whole
        (local.set $a (i32.add (local.get $Ap) (i32.mul (i32.shr_u (local.get $r0) (i32.const 1)) (i32.shl (local.get $k) (i32.const 4)))))
        (local.set $list (i32.add (local.get $idx) (i32.mul (i32.shr_u (local.get $r0) (i32.const 1)) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 2)))))
        (call $packRows2
          (i32.add (local.get $src) (i32.shl (if (result i32) (local.get $trans) (then (local.get $r0)) (else (i32.mul (local.get $r0) (local.get $ld)))) (i32.const 3)))
          (local.get $a) (local.get $rows) (local.get $k) (local.get $trans) (local.get $ld))
        (call $compress (local.get $a) (i32.shr_u (i32.add (local.get $rows) (i32.const 1)) (i32.const 1)) (local.get $k) (local.get $list))
        (call $matmulSparse (local.get $a) (local.get $list) (local.get $Bp)
          (i32.add (local.get $C) (i32.mul (local.get $r0) (i32.shl (local.get $m) (i32.const 3))))
          (local.get $rows) (local.get $k) (local.get $mp) (local.get $m))
        (local.set $r0 (i32.add (local.get $r0) (local.get $rows)))
        (br $blocks)))))
