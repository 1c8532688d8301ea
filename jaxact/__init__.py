"""jaxact: neural-network activation functions in JAX, exact in value and derivative.

Every activation is registered with its metadata; ``jaxact.get(name)`` returns its
:class:`ActivationSpec`, ``jaxact.names()`` lists them.

Each module registers its functions when imported; the order of ``jaxact.names()`` (and of the
site) is ``jaxact._order.ORDER``, whatever the order of the imports below. The imports are
written by ``python -m tools.exports`` (every ``jaxact/_*.py`` module, every registered function
and alias): adding an activation edits nothing here.
"""

# The public names, written by `python -m tools.exports` from the registry: do not edit by hand.
from ._binary_step import binary_step as binary_step
from ._binary_step import binary_step as heaviside
from ._dyt import dyt as dynamic_tanh
from ._dyt import dyt as dyt
from ._elu import celu as celu
from ._elu import elu as elu
from ._elu import selu as selu
from ._entmax import entmax as entmax
from ._entmax import entmax15 as entmax15
from ._exponential import exponential as exponential
from ._gelu import gelu as gelu
from ._glu import geglu as geglu
from ._glu import glu as glu
from ._glu import reglu as reglu
from ._glu import swiglu as swiglu
from ._hard import hard_sigmoid as hard_sigmoid
from ._hard import hard_silu as hard_silu
from ._hard import hard_silu as hard_swish
from ._hard import hard_tanh as hard_tanh
from ._hard import sparse_sigmoid as sparse_sigmoid
from ._identity import identity as identity
from ._identity import identity as linear
from ._log_sigmoid import log_sigmoid as log_sigmoid
from ._logsumexp import logsumexp as logsumexp
from ._maxout import maxout as maxout
from ._mish import mish as mish
from ._pau import pau as pau
from ._periodic import sine as sine
from ._periodic import snake as snake
from ._rectifiers import leaky_relu as leaky_relu
from ._rectifiers import prelu as prelu
from ._rectifiers import relu as relu
from ._rectifiers import relu6 as relu6
from ._registry import ActivationSpec as ActivationSpec
from ._registry import DiscreteSet as DiscreteSet
from ._registry import Equivalents as Equivalents
from ._registry import Interval as Interval
from ._registry import Param as Param
from ._registry import Reference as Reference
from ._registry import get as get
from ._registry import names as names
from ._registry import specs as specs
from ._rrelu import rrelu as rrelu
from ._serf import serf as serf
from ._sigmoid_tanh import sigmoid as logistic
from ._sigmoid_tanh import sigmoid as sigmoid
from ._sigmoid_tanh import tanh as tanh
from ._silu import silu as silu
from ._silu import silu as swish
from ._soft_sign import soft_sign as soft_sign
from ._softmax import log_softmax as log_softmax
from ._softmax import softmax as softmax
from ._softmax import softmin as softmin
from ._softplus import softplus as softplus
from ._softplus import sparse_plus as sparse_plus
from ._softplus import squareplus as squareplus
from ._sparsemax import sparsemax as sparsemax
from ._squared_relu import squared_relu as squared_relu
from ._star_relu import star_relu as star_relu
from ._tanh_shrink import tanh_shrink as tanh_shrink
from ._telu import telu as telu
from ._thresholding import hard_shrink as hard_shrink
from ._thresholding import soft_shrink as soft_shrink
from ._thresholding import threshold as threshold
from ._xielu import xielu as xielu

__all__ = [
    "ActivationSpec", "DiscreteSet", "Equivalents", "Interval", "Param", "Reference", "get",
    "names", "specs", "identity", "linear", "binary_step", "heaviside", "relu", "relu6",
    "leaky_relu", "prelu", "rrelu", "hard_tanh", "hard_sigmoid", "hard_silu", "hard_swish",
    "sparse_sigmoid", "squared_relu", "star_relu", "hard_shrink", "soft_shrink", "threshold",
    "sigmoid", "logistic", "tanh", "soft_sign", "log_sigmoid", "tanh_shrink", "dyt", "dynamic_tanh",
    "exponential", "elu", "celu", "selu", "softplus", "sparse_plus", "squareplus", "xielu", "silu",
    "swish", "gelu", "mish", "telu", "serf", "sine", "snake", "pau", "softmax", "log_softmax",
    "logsumexp", "softmin", "sparsemax", "entmax15", "entmax", "maxout", "glu", "swiglu", "geglu",
    "reglu",
]  # fmt: skip
# End of the written names.

__version__ = "0.1.0"
