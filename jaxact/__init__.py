"""jaxact: neural-network activation functions in JAX, exact in value and derivative.

Every activation is registered with its metadata; ``jaxact.get(name)`` returns its
:class:`ActivationSpec`, ``jaxact.names()`` lists them.
"""

from ._registry import ActivationSpec as ActivationSpec
from ._registry import Equivalents as Equivalents
from ._registry import Interval as Interval
from ._registry import Param as Param
from ._registry import Reference as Reference
from ._registry import get as get
from ._registry import names as names
from ._registry import specs as specs

# -- piecewise ---------------------------------------------------------------------------
from ._piecewise import binary_step as binary_step
from ._piecewise import binary_step as heaviside
from ._piecewise import hard_shrink as hard_shrink
from ._piecewise import hard_sigmoid as hard_sigmoid
from ._piecewise import hard_silu as hard_silu
from ._piecewise import hard_silu as hard_swish
from ._piecewise import hard_tanh as hard_tanh
from ._piecewise import identity as identity
from ._piecewise import identity as linear
from ._piecewise import leaky_relu as leaky_relu
from ._piecewise import prelu as prelu
from ._piecewise import relu as relu
from ._piecewise import relu6 as relu6
from ._piecewise import soft_shrink as soft_shrink
from ._piecewise import sparse_sigmoid as sparse_sigmoid
from ._piecewise import squared_relu as squared_relu
from ._piecewise import threshold as threshold

# -- sigmoidal ---------------------------------------------------------------------------
from ._sigmoid_tanh import sigmoid as sigmoid
from ._sigmoid_tanh import sigmoid as logistic
from ._sigmoid_tanh import tanh as tanh
from ._soft_sign import soft_sign as soft_sign
from ._log_sigmoid import log_sigmoid as log_sigmoid
from ._tanh_shrink import tanh_shrink as tanh_shrink

# -- exponential / softplus family -------------------------------------------------------
from ._elu import elu as elu
from ._elu import celu as celu
from ._elu import selu as selu
from ._softplus import softplus as softplus
from ._softplus import sparse_plus as sparse_plus
from ._softplus import squareplus as squareplus

# -- self-gated --------------------------------------------------------------------------
from ._gated import gelu as gelu
from ._gated import mish as mish
from ._gated import silu as silu
from ._gated import silu as swish

# -- vector-valued -----------------------------------------------------------------------
from ._vector import geglu as geglu
from ._vector import glu as glu
from ._vector import log_softmax as log_softmax
from ._vector import maxout as maxout
from ._vector import reglu as reglu
from ._vector import softmax as softmax
from ._vector import softmin as softmin
from ._vector import sparsemax as sparsemax
from ._vector import swiglu as swiglu

__version__ = "0.1.0"
