;; Recursive factorial (exercises Wasm calls): run() = 12! = 479001600.
(module
  (func $fact (param $n i32) (result i32)
    (if (result i32) (i32.le_s (local.get $n) (i32.const 1))
      (then (i32.const 1))
      (else (i32.mul (local.get $n) (call $fact (i32.sub (local.get $n) (i32.const 1)))))))
  (func (export "run") (result i32)
    (call $fact (i32.const 12))))
