"""The order of the activations: of ``jaxact.names()``, the site's navigation and its tables.

One line per canonical name (aliases follow their function), grouped by family in the order of
``FAMILY_TITLES``. Registering a function does not depend on the order in which modules are
imported; a new activation adds its name here (the tests check that every registered function
is listed, and nothing else).
"""

ORDER: tuple[str, ...] = (
    # piecewise
    "identity",
    "binary_step",
    "relu",
    "relu6",
    "leaky_relu",
    "prelu",
    "rrelu",
    "hard_tanh",
    "hard_sigmoid",
    "hard_silu",
    "sparse_sigmoid",
    "squared_relu",
    "star_relu",
    "hard_shrink",
    "soft_shrink",
    "threshold",
    # sigmoidal
    "sigmoid",
    "tanh",
    "soft_sign",
    "log_sigmoid",
    "tanh_shrink",
    "dyt",
    # exponential / softplus
    "exponential",
    "elu",
    "celu",
    "selu",
    "softplus",
    "sparse_plus",
    "squareplus",
    "xielu",
    # self-gated
    "silu",
    "gelu",
    "mish",
    "telu",
    "serf",
    # periodic
    "sine",
    "snake",
    # rational
    "pau",
    # vector-valued
    "softmax",
    "log_softmax",
    "logsumexp",
    "softmin",
    "sparsemax",
    "entmax15",
    "entmax",
    "maxout",
    "glu",
    "swiglu",
    "geglu",
    "reglu",
)
