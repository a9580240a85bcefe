;; FNV-1a style checksum over the bytes of 0..4999 (little-endian i32 words), wrapping i32
;; multiply: a loop long enough (~100k instructions) to make the engine yield several times.
(module
  (func (export "run") (result i32)
    (local $i i32) (local $h i32) (local $k i32) (local $w i32)
    (local.set $h (i32.const 0x811c9dc5))
    (block $done
      (loop $words
        (br_if $done (i32.ge_u (local.get $i) (i32.const 5000)))
        (local.set $w (local.get $i))
        (local.set $k (i32.const 0))
        (loop $bytes
          (local.set $h (i32.mul
            (i32.xor (local.get $h) (i32.and (local.get $w) (i32.const 0xff)))
            (i32.const 16777619)))
          (local.set $w (i32.shr_u (local.get $w) (i32.const 8)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $bytes (i32.lt_u (local.get $k) (i32.const 4))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $words)))
    (local.get $h)))
