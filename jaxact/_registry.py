"""The registry: every activation is defined once, with its metadata, and registered here.

An activation module defines the function and decorates it with :func:`activation`, which
builds an :class:`ActivationSpec` from the keyword arguments and records it. Everything else
(the public ``jaxact.get``/``jaxact.names``, the documentation site, the parametrized tests)
reads these specs and nothing else.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Callable, Iterator
from typing import Any, Literal, TypeVar, get_args

from ._order import ORDER

# The registry's public API, re-exported by ``jaxact`` (tools/exports.py writes the imports).
__all__ = [
    "ActivationSpec",
    "DiscreteSet",
    "Equivalents",
    "Interval",
    "Param",
    "Reference",
    "get",
    "names",
    "specs",
]

Family = Literal[
    "piecewise", "sigmoidal", "exponential", "self-gated", "periodic", "rational", "vector"
]
"""The families, in the order of the site's navigation: the one list of them."""
Smoothness = Literal["discontinuous", "C0", "C1", "Cinf"]

FIGURE_KINDS: tuple[str, ...] = ("normaliser", "maxout", "gate")
FAMILIES: tuple[Family, ...] = get_args(Family)
SMOOTHNESS: tuple[Smoothness, ...] = get_args(Smoothness)
FAMILY_TITLES: dict[Family, str] = {
    "piecewise": "Piecewise linear",
    "sigmoidal": "Sigmoidal",
    "exponential": "Exponential & softplus",
    "self-gated": "Self-gated",
    "periodic": "Periodic",
    "rational": "Rational (learnable)",
    "vector": "Vector-valued",
}
"""The heading of each family on the site."""
if tuple(FAMILY_TITLES) != FAMILIES:  # a family added to ``Family`` needs its title here
    raise ValueError(f"FAMILY_TITLES must title exactly {FAMILIES}, in that order")


@dataclasses.dataclass(frozen=True)
class Interval:
    """A real interval ``[lo, hi]``; an open end is marked by ``lo_open`` / ``hi_open``.

    Infinite ends are always open. Used for output ranges and for valid parameter values.
    """

    lo: float = -math.inf
    hi: float = math.inf
    lo_open: bool = True
    hi_open: bool = True

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"Interval: lo={self.lo} must not exceed hi={self.hi}")
        if math.isinf(self.lo):
            object.__setattr__(self, "lo_open", True)
        if math.isinf(self.hi):
            object.__setattr__(self, "hi_open", True)

    def __contains__(self, value: float) -> bool:
        if math.isnan(value):
            return False
        above = value > self.lo or (value == self.lo and not self.lo_open)
        below = value < self.hi or (value == self.hi and not self.hi_open)
        return above and below

    @property
    def bounded_below(self) -> bool:
        return not math.isinf(self.lo)

    @property
    def bounded_above(self) -> bool:
        return not math.isinf(self.hi)

    def to_latex(self) -> str:
        def end(v: float) -> str:
            if math.isinf(v):
                return r"\infty" if v > 0 else r"-\infty"
            return _short_number(v)

        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open else "]"
        return f"{left}{end(self.lo)}, {end(self.hi)}{right}"

    def describe(self) -> str:
        """Plain-text form, used in error messages (``(0, inf)``, ``[0, 1]``)."""
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open else "]"
        return f"{left}{_short_number(self.lo)}, {_short_number(self.hi)}{right}"


def _short_number(v: float) -> str:
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.6g}"


REALS = Interval()


@dataclasses.dataclass(frozen=True)
class DiscreteSet:
    """A finite set of values, such as binary_step's ``{0, 1}``: an output range that is not
    an interval. ``lo``/``hi`` are its least and greatest values, both attained."""

    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.values or not all(math.isfinite(v) for v in self.values):
            raise ValueError(f"DiscreteSet: needs finite values, got {self.values}")
        object.__setattr__(self, "values", tuple(sorted(set(self.values))))

    def __contains__(self, value: float) -> bool:
        return value in self.values

    @property
    def lo(self) -> float:
        return self.values[0]

    @property
    def hi(self) -> float:
        return self.values[-1]

    lo_open = hi_open = False
    bounded_below = bounded_above = True

    def to_latex(self) -> str:
        return r"\{" + ", ".join(_short_number(v) for v in self.values) + r"\}"

    def describe(self) -> str:
        return "{" + ", ".join(_short_number(v) for v in self.values) + "}"


OutputRange = Interval | DiscreteSet


@dataclasses.dataclass(frozen=True)
class Param:
    """A parameter of an activation: its name, default, valid values and meaning."""

    name: str
    default: Any
    meaning: str
    valid: Interval | tuple[Any, ...] | str | None = None
    """An :class:`Interval` for a real parameter, a tuple of allowed values for a choice,
    a sentence for a rule neither states (maxout's group size), or ``None`` when any value is
    accepted (e.g. an axis)."""
    latex: str | None = None
    """How the parameter is written in the formulas (``\\alpha``); defaults to its name."""
    plot_values: tuple[Any, ...] = ()
    """Values drawn as a family of curves on the function's page."""
    required: bool = False
    """A required argument of the function (no default in its signature): ``default`` is then
    only the value the plots, the worked example and the tests use."""


@dataclasses.dataclass(frozen=True)
class Reference:
    """A citation: who, what, when and where."""

    authors: str
    title: str
    year: int
    venue: str = ""
    url: str = ""

    def __str__(self) -> str:
        venue = f" {self.venue}." if self.venue else ""
        return f"{self.authors} ({self.year}). {self.title}.{venue}"


@dataclasses.dataclass(frozen=True)
class Equivalents:
    """The names of the same function in other libraries (``None``: not available there)."""

    jax: str | None = None
    torch: str | None = None
    keras: str | None = None


@dataclasses.dataclass(frozen=True)
class ActivationSpec:
    """Everything jaxact knows about one activation function.

    Properties that do not apply to vector-valued functions (monotonicity, saturation, …) are
    ``None`` for them. Every property stated here is checked against :attr:`fn` by the tests.
    """

    name: str
    fn: Callable[..., Any]
    display_name: str
    family: Family
    summary: str
    formula: str
    derivative: str
    output_range: OutputRange
    """An :class:`Interval`, or a :class:`DiscreteSet` for a function with finitely many values."""
    elementwise: bool = True
    aliases: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    monotonic: bool | None = None
    """Non-decreasing on the whole real line."""
    monotonic_ulps: int = 0
    """For a monotonic function, what holds in floating point: between consecutive inputs of
    a floating dtype the computed value never decreases by more than this many ULP of the
    value (0: non-decreasing exactly). Rounding of a formula with several steps can make an
    increasing function wobble; this bounds the wobble."""
    integer_exact: bool = False
    """Integer and boolean input is computed in its own integer type, exactly (functions that
    select ``x`` or a constant of its type, as jax.nn does). ``False``: it is converted to
    floating point first (float32; float64 for 64-bit integers with x64 enabled)."""
    smoothness: Smoothness | None = None
    zero_at_zero: bool | None = None
    """``f(0) == 0``."""
    zero_centred: bool | None = None
    """``E[f(Z)] = 0`` for a standard normal ``Z`` (odd functions, and SELU by design)."""
    left_saturating: bool | None = None
    """``f'(x) -> 0`` as ``x -> -inf``."""
    right_saturating: bool | None = None
    """``f'(x) -> 0`` as ``x -> +inf``."""
    year: int | None = None
    introduced_in: tuple[Reference, ...] = ()
    """The work that first defined the function (empty where no single origin is known)."""
    references: tuple[Reference, ...] = ()
    """Further reading: papers that named, popularised, analysed or reused the function."""
    equivalents: Equivalents = Equivalents()
    conventions: tuple[str, ...] = ()
    """Choices made where mathematics leaves one (derivative at a kink, …), stated on the page."""
    reference: Callable[..., Any] | None = None
    """High-precision oracle ``reference(mp, x, **params) -> mpf`` used by the accuracy tests."""
    reference_derivative: Callable[..., Any] | None = None
    """``reference_derivative(mp, x, **params) -> mpf``: the exact ``f'(x)``."""
    critical_points: tuple[float, ...] = ()
    """Zeros of ``f'`` in the interior (silu, gelu, mish): relative error is meaningless there."""
    example_input: tuple[float, ...] = (-2.0, -1.0, 0.0, 1.0, 2.0)
    """Input of the worked example on the function's page (a vector for vector-valued ones)."""
    plot_range: tuple[float, float] = (-5.0, 5.0)
    plot_slice: Callable[[Any], Any] | None = None
    """Vector-valued functions only: maps a 1-D grid ``x`` of shape ``(n,)`` to a batch of
    inputs of shape ``(n, k)``; the plotted curve is ``fn(plot_slice(x))[:, 0]`` (and its
    derivative with respect to ``x``)."""
    figure_kind: str | None = None
    """Vector-valued functions: which figures made for their kind the site draws
    (``docsgen.vector_figures``): ``"normaliser"`` (scores to a distribution), ``"maxout"``
    (an upper envelope of affine pieces) or ``"gate"`` (the GLU family)."""
    training_range: Callable[..., tuple[Any, Any]] | None = None
    """Stochastic functions only (rrelu): ``training_range(x, **params) -> (lo, hi)``, the least
    and greatest values the function can take at ``x`` in training. A stochastic function takes
    a ``jax.random`` key as ``key`` and a ``training`` flag; with ``training=False`` (its
    default, what every registry-driven test calls) it is the deterministic function that the
    other fields describe. Its page draws this band."""
    call_defaults: tuple[tuple[str, Any], ...] = ()
    """Keyword arguments the site and the registry-wide tests pass besides the parameters'
    defaults (:meth:`defaults` includes them): logsumexp reduces every axis by default, as
    jax.nn's, and is called with ``axis=-1, keepdims=True`` to map a row to a row, as the other
    vector-valued functions do."""
    two_class: tuple[str, float] | None = None
    """Normalisers: ``(name, s)`` such that ``fn([a, b])[0] == get(name)(s * (a - b))``: with
    two entries the function is an elementwise activation of their difference (softmax: the
    sigmoid)."""

    @property
    def bounded_below(self) -> bool:
        return self.output_range.bounded_below

    @property
    def bounded_above(self) -> bool:
        return self.output_range.bounded_above

    @property
    def stochastic(self) -> bool:
        """Random in training (given a key); see :attr:`training_range`."""
        return self.training_range is not None

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def defaults(self) -> dict[str, Any]:
        """The default value of every parameter that has one, and the ``call_defaults``."""
        defaults = {p.name: p.default for p in self.params if p.default is not None}
        return {**defaults, **dict(self.call_defaults)}

    def __call__(self, x: Any, *args: Any, **kwargs: Any) -> Any:
        return self.fn(x, *args, **kwargs)


_REGISTRY: dict[str, ActivationSpec] = {}
_ALIASES: dict[str, str] = {}


_Fn = TypeVar("_Fn", bound=Callable[..., Any])


def activation(**metadata: Any) -> Callable[[_Fn], _Fn]:
    """Decorator: register the decorated function with ``metadata`` (see :class:`ActivationSpec`).

    The function is returned unchanged, so the decorator costs nothing at call time.
    """

    def register(fn: _Fn) -> _Fn:
        spec = ActivationSpec(fn=fn, **metadata)
        _check_spec(spec)
        for name in spec.all_names:
            if name in _ALIASES:
                raise ValueError(f"activation name {name!r} is registered twice")
            _ALIASES[name] = spec.name
        _REGISTRY[spec.name] = spec
        return fn

    return register


def _check_spec(spec: ActivationSpec) -> None:
    if spec.family not in FAMILIES:
        raise ValueError(f"{spec.name}: family must be one of {FAMILIES}, got {spec.family!r}")
    if spec.elementwise:
        missing = [
            f
            for f in (
                "monotonic",
                "smoothness",
                "zero_at_zero",
                "zero_centred",
                "left_saturating",
                "right_saturating",
            )
            if getattr(spec, f) is None
        ]
        if missing:
            raise ValueError(f"{spec.name}: elementwise activations must state {missing}")
    if set(spec.introduced_in) & set(spec.references):
        raise ValueError(f"{spec.name}: a reference is listed as both origin and further reading")
    if spec.figure_kind is not None and spec.figure_kind not in FIGURE_KINDS:
        raise ValueError(f"{spec.name}: figure_kind must be one of {FIGURE_KINDS}")
    if spec.smoothness is not None and spec.smoothness not in SMOOTHNESS:
        raise ValueError(f"{spec.name}: smoothness must be one of {SMOOTHNESS}")


def get(name_or_fn: str | Callable[..., Any] | ActivationSpec) -> ActivationSpec:
    """Look up an activation by name, alias, the function object itself, or its spec.

    Names are matched ignoring case, and with spaces and hyphens read as underscores
    (``"Leaky ReLU"``, ``"leaky-relu"`` and ``"leaky_relu"`` are the same).

    Raises:
        ValueError: for an unknown name; the message lists the closest registered names.
        TypeError: for anything that is neither a string nor a registered callable.
    """
    if isinstance(name_or_fn, ActivationSpec):
        registered = _REGISTRY.get(name_or_fn.name)
        if registered is name_or_fn:
            return registered
        raise ValueError(
            f"an ActivationSpec named {_shown(name_or_fn.name)} that is not the registered one; "
            "pass its name or jaxact.get(name)"
        )
    if isinstance(name_or_fn, str):
        key = re.sub(r"[\s\-]+", "_", name_or_fn.strip().lower())
        if key in _ALIASES:
            return _REGISTRY[_ALIASES[key]]
        close = difflib.get_close_matches(key[:100], list(_ALIASES), n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"Unknown activation name {_shown(name_or_fn)}.{hint} "
            f"Known names: {', '.join(sorted(_ALIASES))}."
        )
    if callable(name_or_fn):
        for spec in _REGISTRY.values():
            if spec.fn is name_or_fn:
                return spec
        raise ValueError(
            f"{_shown(getattr(name_or_fn, '__name__', name_or_fn))} is not a registered jaxact "
            "activation; pass one of jaxact.names() or a jaxact function."
        )
    raise TypeError(
        "name_or_fn must be a str or a jaxact function (or its ActivationSpec), got "
        f"{type(name_or_fn).__name__}"
    )


def _shown(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters (a 10,000-character name is not echoed)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 15]}... ({len(text)} chars)"


def _position(name: str) -> tuple[int, str]:
    """Sort key: the place of a canonical name in ``ORDER``; one not listed goes last."""
    return (ORDER.index(name), "") if name in ORDER else (len(ORDER), name)


def _ordered() -> tuple[ActivationSpec, ...]:
    return tuple(sorted(_REGISTRY.values(), key=lambda spec: _position(spec.name)))


def names(*, include_aliases: bool = False) -> tuple[str, ...]:
    """The canonical names of all registered activations, grouped by family in the order of the
    documentation (piecewise linear first, vector-valued last).

    With ``include_aliases``, each function's aliases follow its name.
    """
    if include_aliases:
        return tuple(name for spec in _ordered() for name in spec.all_names)
    return tuple(spec.name for spec in _ordered())


def specs() -> Iterator[ActivationSpec]:
    """Iterate over the ``ActivationSpec`` of every registered activation, as ``names()``."""
    return iter(_ordered())
