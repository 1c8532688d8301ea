"""The numeric kernels, the floor below the function modules (``jaxact/_<function>.py``).

Each module is named for what it computes and imports only its neighbours here (never a
function module, the registry or ``_numerics``):

- ``floating_point``: dtype tables, ``2**n`` from bits, polynomials, the exact product and split;
- ``expm1``: ``expm1`` by range reduction (tanh, sech², the ELU family);
- ``exp``: exponentials by hand of double-word arguments (the self-gated functions);
- ``logistic``: sigmoid, tanh, sech² and softplus;
- ``logistic_gate``: SiLU's ``x sigma(x)`` and the logistic pieces silu and mish share;
- ``gelu``: GELU's tanh and exact forms;
- ``derivatives``: hand-written derivatives as ``custom_jvp`` rules (f, f' and f'' each from x:
  gelu, mish; a tangent from the output: softmax, log_softmax);
- ``relu``: relu and relu6 with jax.nn's derivatives at the kinks;
- ``trig``: sin and cos of a product carried as a double word (snake, sine; DyT and StarReLU
  use its exact product and sum);
- ``double_word_pow``: ``u**g``, ``log2`` and ``2**w`` of double words, to about eps**2;
- ``entmax_threshold``: alpha-entmax's threshold by Newton steps in double words;
- ``signs``: sign tests and comparisons on the bit patterns, which see subnormal numbers
  (XLA on CPU reads them as 0 in a float comparison).
"""
