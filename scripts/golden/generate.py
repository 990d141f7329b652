#!/usr/bin/env python3
"""Generate Gradscope's golden fixtures from real PyTorch.

    npm run golden        (== python3 scripts/golden/generate.py)

Writes test/golden/{ops,losses,modules,optim,autograd,errors}.json. The vitest suite
test/unit/golden.test.ts replays every case against the TypeScript engine, so the tests
never need PyTorch. Re-running this script produces byte-identical files (fixed seeds,
one thread, inputs rounded to 4 decimals so the fixture holds them exactly).

PyTorch comes from Debian (`apt-get install python3-torch`), which installs it for
/usr/bin/python3. When `python3` on PATH is another interpreter (pyenv, venv) without
torch, this script re-executes itself with /usr/bin/python3.

Fixture conventions (see test/golden/README.md for the full format):
  * a tensor is {"shape": [...], "dtype": "float64", "values": nested lists}; inputs add
    "requiresGrad". Non-finite floats are written as the strings "NaN", "Infinity",
    "-Infinity" (JSON has no literal for them).
  * numeric cases are float64 unless a case says otherwise.
  * error texts are PyTorch's verbatim; the engine reproduces them verbatim.
"""

import os
import sys

try:
    import torch  # noqa: F401
except ImportError:  # pragma: no cover - interpreter selection
    system_python = "/usr/bin/python3"
    if os.environ.get("GRADSCOPE_GOLDEN_REEXEC") != "1" and os.path.exists(system_python):
        os.environ["GRADSCOPE_GOLDEN_REEXEC"] = "1"
        os.execv(system_python, [system_python] + sys.argv)
    sys.exit("PyTorch is not installed: run `apt-get install -y python3-torch`")

import json
import math
import re
import warnings

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "test", "golden")
F64 = torch.float64
F32 = torch.float32

GEN = torch.Generator().manual_seed(20261126)

DTYPE_NAMES = {torch.float64: "float64", torch.float32: "float32", torch.int64: "int64", torch.bool: "bool"}

# gradFn names that PyTorch >= 2.0 spells differently from the 1.13 build Debian ships.
# The test accepts either spelling; everything else must match exactly.
GRADFN_MODERN = {
    # torch 1.13: contiguous reshape records _reshape_alias; torch 2.x records a view.
    "ReshapeAliasBackward0": "ViewBackward0",
}


# ---------------------------------------------------------------- value helpers

def rnd(*shape, lo=-2.0, hi=2.0, dtype=F64):
    """Seeded uniform values rounded to 4 decimals (exactly representable in the fixture)."""
    t = torch.rand(tuple(shape), generator=GEN, dtype=F64) * (hi - lo) + lo
    t = torch.round(t * 10000) / 10000
    return t.to(dtype)


def rnd_int(high, *shape):
    return torch.randint(0, high, tuple(shape), generator=GEN, dtype=torch.int64)


def enc_scalar(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        if v == 0.0 and math.copysign(1.0, v) < 0:
            return 0.0  # -0 vs +0 is not something the fixture asserts
        return v
    return v


def enc_values(v):
    if isinstance(v, list):
        return [enc_values(x) for x in v]
    return enc_scalar(v)


def enc(t, requires_grad=None):
    """Encode a tensor (or None) for the fixture."""
    if t is None:
        return None
    t = t.detach()
    d = {"shape": list(t.shape), "dtype": DTYPE_NAMES[t.dtype]}
    if t.dtype == torch.float32:
        # float32 -> Python float is exact; keep the shortest repr of the float32 value
        d["values"] = enc_values(_f32_list(t))
    else:
        d["values"] = enc_values(t.tolist())
    if requires_grad is not None:
        d["requiresGrad"] = requires_grad
    return d


def _f32_list(t):
    import struct

    def short(x):
        # shortest decimal that round-trips to the same float32
        for p in range(6, 18):
            s = "%.*g" % (p, x)
            if struct.unpack("f", struct.pack("f", float(s)))[0] == x:
                return float(s)
        return x

    def walk(v):
        if isinstance(v, list):
            return [walk(x) for x in v]
        if math.isnan(v) or math.isinf(v):
            return v
        return short(v)

    return walk(t.tolist())


def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


# gradFn names that are artifacts of how torch 1.13 decomposes an op internally (matmul
# folds batches with _unsafe_view, a 1-D @ 2-D matmul ends in squeeze, reshape of a
# non-contiguous tensor clones). The engine is free to build these ops differently; the
# names are recorded for reference and not asserted.
GRADFN_ARTIFACTS = {"UnsafeViewBackward0", "CloneBackward0", "SqueezeBackward3"}


def grad_fn_entry(t):
    name = grad_fn_name(t)
    out = {"gradFn": name}
    if name in GRADFN_MODERN:
        out["gradFnModern"] = GRADFN_MODERN[name]
    if name in GRADFN_ARTIFACTS:
        out["gradFnNotAsserted"] = "internal decomposition in torch " + torch.__version__
    return out


# ---------------------------------------------------------------- generic op cases
#
# PY_OPS mirrors the dispatch table in test/unit/golden.test.ts: op name -> how PyTorch
# computes it from (tensor inputs, plain args). Keep the two tables in step.

PY_OPS = {
    "add": lambda t, a: torch.add(t[0], t[1]),
    "add_scalar": lambda t, a: t[0].add(a[0]),
    "sub": lambda t, a: torch.sub(t[0], t[1]),
    "sub_scalar": lambda t, a: t[0].sub(a[0]),
    "mul": lambda t, a: torch.mul(t[0], t[1]),
    "mul_scalar": lambda t, a: t[0].mul(a[0]),
    "div": lambda t, a: torch.div(t[0], t[1]),
    "div_scalar": lambda t, a: t[0].div(a[0]),
    "neg": lambda t, a: t[0].neg(),
    "pow_tensor_scalar": lambda t, a: t[0].pow(a[0]),
    "pow_scalar_tensor": lambda t, a: torch.pow(a[0], t[0]),
    "pow_tensor_tensor": lambda t, a: t[0].pow(t[1]),
    "exp": lambda t, a: t[0].exp(),
    "log": lambda t, a: t[0].log(),
    "sqrt": lambda t, a: t[0].sqrt(),
    "abs": lambda t, a: t[0].abs(),
    "relu": lambda t, a: t[0].relu(),
    "sigmoid": lambda t, a: t[0].sigmoid(),
    "tanh": lambda t, a: t[0].tanh(),
    "clamp": lambda t, a: t[0].clamp(a[0], a[1]),
    "maximum": lambda t, a: torch.maximum(t[0], t[1]),
    "minimum": lambda t, a: torch.minimum(t[0], t[1]),
    "sum": lambda t, a: t[0].sum() if not a else t[0].sum(a[0], a[1]),
    "mean": lambda t, a: t[0].mean() if not a else t[0].mean(a[0], a[1]),
    "max": lambda t, a: t[0].max() if not a else t[0].max(a[0], a[1]),
    "min": lambda t, a: t[0].min() if not a else t[0].min(a[0], a[1]),
    "matmul": lambda t, a: torch.matmul(t[0], t[1]),
    "mm": lambda t, a: t[0].mm(t[1]),
    "t": lambda t, a: t[0].t(),
    "transpose": lambda t, a: t[0].transpose(a[0], a[1]),
    "permute": lambda t, a: t[0].permute(*a[0]),
    "reshape": lambda t, a: t[0].reshape(*a[0]),
    "view": lambda t, a: t[0].view(*a[0]),
    "expand": lambda t, a: t[0].expand(*a[0]),
    "squeeze": lambda t, a: t[0].squeeze() if not a else t[0].squeeze(a[0]),
    "unsqueeze": lambda t, a: t[0].unsqueeze(a[0]),
    "cat": lambda t, a: torch.cat(list(t), a[0]),
    "stack": lambda t, a: torch.stack(list(t), a[0]),
    "where": lambda t, a: torch.where(t[0], t[1], t[2]),
    "gather": lambda t, a: t[0].gather(a[0], t[1]),
    "index_select": lambda t, a: t[0].index_select(a[0], t[1]),
    "select": lambda t, a: t[0].select(a[0], a[1]),
    "narrow": lambda t, a: t[0].narrow(a[0], a[1], a[2]),
    "softmax": lambda t, a: t[0].softmax(a[0]),
    "log_softmax": lambda t, a: t[0].log_softmax(a[0]),
    # losses (module form, reduction in args[0])
    "MSELoss": lambda t, a: nn.MSELoss(reduction=a[0])(t[0], t[1]),
    "CrossEntropyLoss": lambda t, a: nn.CrossEntropyLoss(reduction=a[0])(t[0], t[1]),
    # losses with options: args = [reduction, {camelCase options}], optional weight tensor last
    "CrossEntropyLoss_opts": lambda t, a: nn.CrossEntropyLoss(
        weight=t[2] if len(t) > 2 else None, reduction=a[0], ignore_index=a[1].get("ignoreIndex", -100),
        label_smoothing=a[1].get("labelSmoothing", 0.0))(t[0], t[1]),
    "NLLLoss": lambda t, a: nn.NLLLoss(weight=t[2] if len(t) > 2 else None, reduction=a[0],
                                       ignore_index=a[1].get("ignoreIndex", -100))(t[0], t[1]),
    "L1Loss": lambda t, a: nn.L1Loss(reduction=a[0])(t[0], t[1]),
    "BCELoss": lambda t, a: nn.BCELoss(weight=t[2] if len(t) > 2 else None, reduction=a[0])(t[0], t[1]),
    "BCEWithLogitsLoss": lambda t, a: nn.BCEWithLogitsLoss(pos_weight=t[2] if len(t) > 2 else None,
                                                           reduction=a[0])(t[0], t[1]),
    # nn.functional
    "F.linear": lambda t, a: nn.functional.linear(t[0], t[1], t[2] if len(t) > 2 else None),
    "F.relu": lambda t, a: nn.functional.relu(t[0]),
    "F.softmax": lambda t, a: nn.functional.softmax(t[0], a[0]),
    "F.log_softmax": lambda t, a: nn.functional.log_softmax(t[0], a[0]),
    "F.mse_loss": lambda t, a: nn.functional.mse_loss(t[0], t[1], reduction=a[0]),
    "F.cross_entropy": lambda t, a: nn.functional.cross_entropy(t[0], t[1], reduction=a[0]),
    # composites: non-contiguous views feeding other ops, reuse, diamonds
    "transpose_then_mul": lambda t, a: t[0].t().mul(t[1]),
    "permute_then_matmul": lambda t, a: t[0].permute(0, 2, 1).matmul(t[1]),
    "transpose_then_reshape": lambda t, a: t[0].transpose(0, 1).reshape(-1),
    "transpose_then_sum": lambda t, a: t[0].transpose(0, 1).sum(0),
    "expand_then_mul": lambda t, a: t[0].expand(3, 4).mul(t[1]),
    "select_then_mul": lambda t, a: t[0].select(1, 1).mul(t[1]),
    "mul_self": lambda t, a: t[0].mul(t[0]),
    "diamond": lambda t, a: (t[0] * 2).exp().mul((t[0] * 2).tanh()).add(t[0]),
    "chain_mlp_like": lambda t, a: t[0].matmul(t[1]).add(t[2]).relu().sum(1).mean(),
    "softmax_cross": lambda t, a: t[0].softmax(-1).mul(t[1]).sum(),
}

OP_CASES = []


def op_case(name, op, inputs, args=(), grad_output=True, grad_fn_not_asserted=None):
    """inputs: list of (tensor, requires_grad). grad_fn_not_asserted: why the output's
    gradFn name is torch-internal (a decomposition the engine need not copy)."""
    args = list(args)
    leaves = []
    for t, rg in inputs:
        leaf = t.detach().clone()
        if rg:
            leaf.requires_grad_(True)
        leaves.append(leaf)
    out = PY_OPS[op](leaves, args)
    case = {
        "name": name,
        "op": op,
        "args": args,
        "inputs": [enc(t, rg) for (t, rg) in inputs],
    }
    if isinstance(out, tuple):  # (values, indices) from max/min over a dim
        values, indices = out
        case["output"] = {"values": enc(values), "indices": enc(indices)}
        diff_out = values
    else:
        case["output"] = enc(out)
        diff_out = out
    if diff_out.requires_grad:
        case.update(grad_fn_entry(diff_out))
        if grad_fn_not_asserted:
            case["gradFnNotAsserted"] = grad_fn_not_asserted
        if diff_out.dim() == 0 and not grad_output:
            diff_out.backward()
        else:
            go = rnd(*diff_out.shape, dtype=diff_out.dtype)
            case["gradOutput"] = enc(go)
            diff_out.backward(go)
        case["grads"] = [enc(leaf.grad) if rg else None for leaf, (_, rg) in zip(leaves, inputs)]
    else:
        case["gradFn"] = None
        case["grads"] = [None for _ in inputs]
    OP_CASES.append(case)


def g(*shape, lo=-2.0, hi=2.0, dtype=F64):
    return (rnd(*shape, lo=lo, hi=hi, dtype=dtype), True)


def c(*shape, lo=-2.0, hi=2.0):  # a constant float input (requires_grad False)
    return (rnd(*shape, lo=lo, hi=hi), False)


def fixed(values, rg=True, dtype=F64):
    return (torch.tensor(values, dtype=dtype), rg)


def idx(values):
    return (torch.tensor(values, dtype=torch.int64), False)


def boolean(values):
    return (torch.tensor(values, dtype=torch.bool), False)


def build_op_cases():
    # --- elementwise binary, same shape and broadcasting
    for op in ["add", "sub", "mul", "div"]:
        lo = 0.5 if op == "div" else -2.0
        op_case(f"{op}/same_shape", op, [g(2, 3), g(2, 3, lo=lo)])
        op_case(f"{op}/broadcast_row", op, [g(2, 3), g(3, lo=lo)])
        op_case(f"{op}/broadcast_outer", op, [g(3, 1), g(1, 4, lo=lo)])
        op_case(f"{op}/broadcast_3d", op, [g(2, 1, 3), g(4, 1, lo=lo)])
        op_case(f"{op}/scalar_tensor_operand", op, [g(2, 3), g(lo=max(lo, 0.5))])
        op_case(f"{op}/first_is_broadcast", op, [g(3), g(2, 3, lo=lo)])
        op_case(f"{op}/one_requires_grad", op, [g(2, 3), c(2, 3, lo=max(lo, 0.5))])
        op_case(f"{op}/scalar", f"{op}_scalar", [g(2, 3)], [1.75])
    op_case("add/0d_both", "add", [g(), g()])
    op_case("neg/basic", "neg", [g(2, 3)])

    # --- pow in all three forms
    op_case("pow/tensor_scalar_2", "pow_tensor_scalar", [g(2, 3)], [2])
    op_case("pow/tensor_scalar_3", "pow_tensor_scalar", [g(4)], [3])
    op_case("pow/tensor_scalar_half", "pow_tensor_scalar", [g(2, 3, lo=0.1)], [0.5])
    op_case("pow/tensor_scalar_neg", "pow_tensor_scalar", [g(2, 3, lo=0.1)], [-1.5])
    op_case("pow/tensor_scalar_0", "pow_tensor_scalar", [g(3)], [0])
    op_case("pow/scalar_tensor", "pow_scalar_tensor", [g(2, 3)], [2.5])
    op_case("pow/scalar_tensor_e", "pow_scalar_tensor", [g(4)], [math.e])
    op_case("pow/tensor_tensor", "pow_tensor_tensor", [g(2, 3, lo=0.1), g(2, 3)])
    op_case("pow/tensor_tensor_broadcast", "pow_tensor_tensor", [g(2, 3, lo=0.1), g(3)])
    op_case("pow/edge_zero_base", "pow_tensor_tensor",
            [fixed([0.0, 0.0, 0.0, 2.0]), fixed([0.0, 2.0, 0.5, 0.0])])
    op_case("pow/edge_negative_base", "pow_tensor_tensor",
            [fixed([-2.0, -1.5]), fixed([2.0, 3.0])])
    op_case("pow/edge_zero_to_scalar", "pow_tensor_scalar", [fixed([0.0, 1.0, -2.0])], [2])

    # --- unary
    op_case("exp/basic", "exp", [g(2, 3)])
    op_case("log/basic", "log", [g(2, 3, lo=0.05, hi=3.0)])
    op_case("sqrt/basic", "sqrt", [g(2, 3, lo=0.05, hi=3.0)])
    op_case("abs/basic", "abs", [g(2, 3)])
    op_case("relu/basic", "relu", [g(2, 3)])
    op_case("sigmoid/basic", "sigmoid", [g(2, 3, lo=-6, hi=6)])
    op_case("tanh/basic", "tanh", [g(2, 3, lo=-3, hi=3)])
    op_case("abs/edge_zero", "abs", [fixed([-1.0, 0.0, 2.0])])
    op_case("relu/edge_zero", "relu", [fixed([-1.0, 0.0, 2.0])])
    op_case("sqrt/edge_zero", "sqrt", [fixed([0.0, 4.0])])
    op_case("log/edge_zero", "log", [fixed([0.0, 1.0])])
    op_case("sigmoid/edge_large", "sigmoid", [fixed([-800.0, -40.0, 0.0, 40.0, 800.0])])
    op_case("tanh/edge_large", "tanh", [fixed([-400.0, 0.0, 400.0])])
    op_case("exp/edge_overflow", "exp", [fixed([-1000.0, 0.0, 1000.0])])

    op_case("clamp/both", "clamp", [g(3, 4)], [-0.5, 0.75])
    op_case("clamp/min_only", "clamp", [g(3, 4)], [0.0, None])
    op_case("clamp/max_only", "clamp", [g(3, 4)], [None, 0.25])
    op_case("clamp/edge_boundaries", "clamp", [fixed([-1.0, -0.5, 0.0, 0.5, 1.0])], [-0.5, 0.5])

    for op in ["maximum", "minimum"]:
        op_case(f"{op}/same_shape", op, [g(2, 3), g(2, 3)])
        op_case(f"{op}/broadcast", op, [g(2, 3), g(3)])
        op_case(f"{op}/edge_ties", op, [fixed([1.0, 2.0, 3.0, -1.0]), fixed([1.0, 5.0, 3.0, -2.0])])

    # --- reductions over each dim
    for op in ["sum", "mean"]:
        op_case(f"{op}/all", op, [g(2, 3, 4)])
        op_case(f"{op}/all_1d", op, [g(5)], grad_output=False)
        for dim in [0, 1, 2, -1]:
            for keep in [False, True]:
                op_case(f"{op}/dim{dim}_keepdim{str(keep).lower()}", op, [g(2, 3, 4)], [dim, keep])
        op_case(f"{op}/dims_list", op, [g(2, 3, 4)], [[0, 2], False])
        op_case(f"{op}/dims_list_keepdim", op, [g(2, 3, 4)], [[-1, 0], True])
    for op in ["max", "min"]:
        op_case(f"{op}/all", op, [g(3, 4)])
        for dim in [0, 1, -1]:
            for keep in [False, True]:
                op_case(f"{op}/dim{dim}_keepdim{str(keep).lower()}", op, [g(3, 4)], [dim, keep])
        op_case(f"{op}/dim1_3d", op, [g(2, 3, 4)], [1, False])
        op_case(f"{op}/edge_ties_all", op, [fixed([1.0, 3.0, 3.0, -2.0] if op == "max" else [1.0, -2.0, -2.0, 3.0])])

    # --- matmul family
    op_case("matmul/1d_1d", "matmul", [g(4), g(4)])
    op_case("matmul/2d_1d", "matmul", [g(3, 4), g(4)])
    op_case("matmul/1d_2d", "matmul", [g(3), g(3, 4)])
    op_case("matmul/2d_2d", "matmul", [g(2, 3), g(3, 4)])
    op_case("matmul/3d_3d", "matmul", [g(2, 3, 4), g(2, 4, 2)])
    op_case("matmul/3d_2d", "matmul", [g(2, 3, 4), g(4, 2)])
    op_case("matmul/2d_3d", "matmul", [g(3, 4), g(2, 4, 2)])
    op_case("matmul/1d_3d", "matmul", [g(3), g(2, 3, 2)])
    op_case("matmul/3d_1d", "matmul", [g(2, 3, 4), g(4)])
    op_case("matmul/batch_broadcast_4d", "matmul", [g(2, 1, 3, 4), g(3, 4, 2)])
    op_case("matmul/one_requires_grad", "matmul", [g(2, 3), c(3, 2)])
    op_case("mm/basic", "mm", [g(3, 4), g(4, 2)])

    # --- views and shape ops
    op_case("t/basic", "t", [g(2, 3)])
    op_case("t/1d", "t", [g(3)])
    op_case("transpose/01", "transpose", [g(2, 3, 4)], [0, 1])
    op_case("transpose/neg", "transpose", [g(2, 3, 4)], [-1, 0])
    op_case("permute/basic", "permute", [g(2, 3, 4)], [[2, 0, 1]])
    op_case("permute/neg", "permute", [g(2, 3, 4)], [[-1, -3, -2]])
    op_case("reshape/basic", "reshape", [g(2, 3, 4)], [[4, 6]])
    op_case("reshape/infer", "reshape", [g(2, 3, 4)], [[-1, 2]])
    op_case("view/basic", "view", [g(2, 3, 4)], [[6, 4]])
    op_case("view/infer", "view", [g(2, 6)], [[3, -1]])
    op_case("expand/basic", "expand", [g(3, 1)], [[3, 4]])
    op_case("expand/new_dims", "expand", [g(1, 3)], [[2, 4, 3]])
    op_case("expand/minus_one", "expand", [g(3, 1)], [[-1, 5]])
    op_case("squeeze/all", "squeeze", [g(1, 3, 1, 2)])
    op_case("squeeze/dim", "squeeze", [g(1, 3, 1, 2)], [2])
    op_case("squeeze/dim_not_1", "squeeze", [g(1, 3, 1, 2)], [1])
    op_case("unsqueeze/0", "unsqueeze", [g(2, 3)], [0])
    op_case("unsqueeze/neg", "unsqueeze", [g(2, 3)], [-1])
    op_case("cat/dim0", "cat", [g(2, 3), g(1, 3), g(3, 3)], [0])
    op_case("cat/dim1", "cat", [g(2, 3), g(2, 1)], [1])
    op_case("cat/neg_dim", "cat", [g(2, 2, 2), g(2, 2, 3)], [-1])
    op_case("cat/mixed_requires_grad", "cat", [g(2, 3), c(2, 3)], [0])
    op_case("stack/dim0", "stack", [g(2, 3), g(2, 3), g(2, 3)], [0])
    op_case("stack/dim1", "stack", [g(2, 3), g(2, 3)], [1])
    op_case("stack/neg_dim", "stack", [g(2, 3), g(2, 3)], [-1])
    op_case("where/basic", "where",
            [boolean([[True, False, True], [False, False, True]]), g(2, 3), g(2, 3)])
    op_case("where/broadcast", "where",
            [boolean([[True], [False]]), g(3), g(2, 3)])
    op_case("gather/dim0", "gather", [g(3, 4), idx([[0, 1, 2, 0], [2, 2, 1, 0]])], [0])
    op_case("gather/dim1_repeat", "gather", [g(3, 4), idx([[0, 0], [3, 1], [2, 2]])], [1])
    op_case("index_select/dim0_repeat", "index_select", [g(4, 3), idx([2, 0, 2])], [0])
    op_case("index_select/dim1", "index_select", [g(2, 4), idx([3, 1])], [1])
    op_case("select/dim0", "select", [g(3, 4)], [0, 1])
    op_case("select/dim1_neg_index", "select", [g(3, 4)], [1, -1])
    op_case("narrow/dim1", "narrow", [g(3, 5)], [1, 1, 3])

    # --- softmax family
    for op in ["softmax", "log_softmax"]:
        op_case(f"{op}/dim_last", op, [g(3, 4, lo=-3, hi=3)], [-1])
        op_case(f"{op}/dim0", op, [g(3, 4, lo=-3, hi=3)], [0])
        op_case(f"{op}/3d_dim1", op, [g(2, 3, 2, lo=-3, hi=3)], [1])
        op_case(f"{op}/large_logits", op, [fixed([[1000.0, 1001.0, 999.0], [-1000.0, 0.0, 1000.0]])], [1])

    # --- composites over non-contiguous views etc.
    op_case("composite/transpose_then_mul", "transpose_then_mul", [g(3, 2), g(2, 3)])
    op_case("composite/permute_then_matmul", "permute_then_matmul", [g(2, 3, 4), g(2, 3, 2)])
    op_case("composite/transpose_then_reshape", "transpose_then_reshape", [g(2, 3)])
    op_case("composite/transpose_then_sum", "transpose_then_sum", [g(2, 3)])
    op_case("composite/expand_then_mul", "expand_then_mul", [g(3, 1), g(3, 4)])
    op_case("composite/select_then_mul", "select_then_mul", [g(3, 4), g(3)])
    op_case("composite/mul_self", "mul_self", [g(2, 3)])
    op_case("composite/diamond", "diamond", [g(2, 3, lo=-1, hi=1)])
    op_case("composite/chain_mlp_like", "chain_mlp_like", [g(4, 3), g(3, 5), g(5)], grad_output=False)
    op_case("composite/softmax_cross", "softmax_cross", [g(2, 4), c(2, 4)], grad_output=False)

    # --- a few float32 (the default dtype) cases: results are float32-rounded
    op_case("float32/mul_broadcast", "mul", [g(2, 3, dtype=F32), g(3, dtype=F32)])
    op_case("float32/matmul", "matmul", [g(3, 4, dtype=F32), g(4, 2, dtype=F32)])
    op_case("float32/softmax", "softmax", [g(2, 5, dtype=F32)], [1])
    op_case("float32/sum_dim", "sum", [g(3, 4, dtype=F32)], [1, False])


LOSS_CASES = []

BCE_LOGITS = "composite of elementwise ops in torch 1.13 (later versions: BinaryCrossEntropyWithLogitsBackward0)"


def build_loss_cases():
    global OP_CASES
    saved = OP_CASES
    OP_CASES = LOSS_CASES
    for red in ["none", "mean", "sum"]:
        op_case(f"MSELoss/{red}", "MSELoss", [g(3, 4), c(3, 4)], [red])
        op_case(f"MSELoss/{red}_target_requires_grad", "MSELoss", [g(2, 3), g(2, 3)], [red])
        op_case(f"MSELoss/{red}_1d", "MSELoss", [g(5), c(5)], [red])
        op_case(f"CrossEntropyLoss/{red}", "CrossEntropyLoss", [g(4, 5, lo=-3, hi=3), idx([1, 0, 4, 1])], [red])
        op_case(f"CrossEntropyLoss/{red}_large_logits", "CrossEntropyLoss",
                [fixed([[1000.0, 1001.0, 999.0], [-1000.0, 0.0, 1000.0]]), idx([2, 0])], [red])
    op_case("CrossEntropyLoss/mean_single_row", "CrossEntropyLoss", [g(1, 3), idx([2])], ["mean"])
    op_case("CrossEntropyLoss/mean_1d_input_0d_target", "CrossEntropyLoss", [g(4), (torch.tensor(2), False)], ["mean"])
    kdim = "torch 1.13 reshapes K-dim inputs for nll_loss2d"
    op_case("CrossEntropyLoss/mean_kdim", "CrossEntropyLoss",
            [g(2, 3, 4, lo=-3, hi=3), idx([[0, 2, 1, 1], [2, 0, 0, 1]])], ["mean"], grad_fn_not_asserted=kdim)
    op_case("CrossEntropyLoss/none_kdim", "CrossEntropyLoss",
            [g(2, 3, 2, lo=-3, hi=3), idx([[0, 2], [1, 1]])], ["none"], grad_fn_not_asserted=kdim)
    for red in ["none", "mean", "sum"]:
        op_case(f"CrossEntropyLoss/{red}_weight", "CrossEntropyLoss_opts",
                [g(4, 3, lo=-3, hi=3), idx([0, 2, 1, 2]), fixed([0.2, 1.0, 3.0], rg=False)], [red, {}])
        op_case(f"CrossEntropyLoss/{red}_ignore_index", "CrossEntropyLoss_opts",
                [g(5, 3, lo=-3, hi=3), idx([0, -100, 1, 2, -100])], [red, {}])
        op_case(f"CrossEntropyLoss/{red}_label_smoothing", "CrossEntropyLoss_opts",
                [g(4, 3, lo=-3, hi=3), idx([0, 2, 1, 2])], [red, {"labelSmoothing": 0.1}])
    op_case("CrossEntropyLoss/mean_custom_ignore_index_weight", "CrossEntropyLoss_opts",
            [g(4, 3, lo=-3, hi=3), idx([0, 2, 1, 2]), fixed([0.5, 1.5, 2.0], rg=False)], ["mean", {"ignoreIndex": 2}])
    op_case("CrossEntropyLoss/mean_weight_label_smoothing", "CrossEntropyLoss_opts",
            [g(4, 3, lo=-3, hi=3), idx([0, 2, 1, 2]), fixed([0.5, 1.5, 2.0], rg=False)],
            ["mean", {"labelSmoothing": 0.2}])
    prob = "probability targets are a composite of elementwise ops in torch"
    op_case("CrossEntropyLoss/mean_probability_target", "CrossEntropyLoss",
            [g(3, 4, lo=-3, hi=3), (torch.softmax(rnd(3, 4), 1), False)], ["mean"], grad_fn_not_asserted=prob)
    op_case("CrossEntropyLoss/none_probability_target_requires_grad", "CrossEntropyLoss",
            [g(2, 3, lo=-3, hi=3), (torch.softmax(rnd(2, 3), 1), True)], ["none"], grad_fn_not_asserted=prob)
    for red in ["mean", "none"]:
        op_case(f"NLLLoss/{red}_weight_ignore_index", "NLLLoss",
                [g(4, 3, lo=-3, hi=0), idx([0, 2, 1, 1]), fixed([0.5, 1.5, 2.0], rg=False)], [red, {"ignoreIndex": 1}])
    for red in ["none", "mean", "sum"]:
        op_case(f"L1Loss/{red}", "L1Loss", [g(3, 4), c(3, 4)], [red])
        op_case(f"BCELoss/{red}", "BCELoss", [g(3, 4, lo=0.02, hi=0.98), c(3, 4, lo=0, hi=1)], [red])
        op_case(f"BCEWithLogitsLoss/{red}", "BCEWithLogitsLoss", [g(3, 4, lo=-4, hi=4), c(3, 4, lo=0, hi=1)], [red],
                grad_fn_not_asserted=BCE_LOGITS)
    op_case("L1Loss/edge_zero_difference", "L1Loss", [fixed([1.0, 2.0, 3.0]), fixed([1.0, 0.0, 3.0], rg=False)], ["sum"])
    op_case("BCELoss/mean_weight", "BCELoss", [g(2, 3, lo=0.02, hi=0.98), c(2, 3, lo=0, hi=1), fixed([0.5, 1.0, 2.0], rg=False)], ["mean"])
    op_case("BCELoss/edge_log_clamp", "BCELoss", [fixed([0.0, 1.0, 0.5]), fixed([1.0, 0.0, 1.0], rg=False)], ["none"])
    op_case("BCEWithLogitsLoss/mean_pos_weight", "BCEWithLogitsLoss",
            [g(2, 3, lo=-4, hi=4), c(2, 3, lo=0, hi=1), fixed([0.5, 1.0, 3.0], rg=False)], ["mean"],
            grad_fn_not_asserted=BCE_LOGITS)
    op_case("BCEWithLogitsLoss/edge_large_logits", "BCEWithLogitsLoss",
            [fixed([-200.0, 0.0, 200.0]), fixed([1.0, 0.5, 0.0], rg=False)], ["none"], grad_fn_not_asserted=BCE_LOGITS)
    op_case("functional/linear", "F.linear", [g(4, 3), g(2, 3), g(2)])
    op_case("functional/linear_no_bias", "F.linear", [g(3), g(2, 3)])
    op_case("functional/relu", "F.relu", [g(2, 3)])
    op_case("functional/softmax", "F.softmax", [g(2, 3)], [1])
    op_case("functional/log_softmax", "F.log_softmax", [g(2, 3)], [0])
    op_case("functional/mse_loss", "F.mse_loss", [g(2, 3), c(2, 3)], ["sum"])
    op_case("functional/cross_entropy", "F.cross_entropy", [g(3, 4), idx([3, 0, 1])], ["sum"])
    op_case("CrossEntropyLoss/mean_float32", "CrossEntropyLoss", [g(3, 4, dtype=F32), idx([0, 3, 1])], ["mean"])
    OP_CASES = saved


# ---------------------------------------------------------------- modules (MLP)

MODULE_CASES = []


def enc_named_params(model):
    return [{"name": n, **enc(p, p.requires_grad)} for n, p in model.named_parameters()]


def module_case(name, layers, x, target, loss, dtype=F64):
    """layers: list of ("Linear", in, out) | ("ReLU",) | ("Tanh",) | ("Sigmoid",)."""
    mods = []
    for spec in layers:
        if spec[0] == "Linear":
            lin = nn.Linear(spec[1], spec[2], dtype=dtype)
            with torch.no_grad():
                lin.weight.copy_(rnd(spec[2], spec[1], lo=-0.8, hi=0.8, dtype=dtype))
                lin.bias.copy_(rnd(spec[2], lo=-0.3, hi=0.3, dtype=dtype))
            mods.append(lin)
        else:
            mods.append(getattr(nn, spec[0])())
    model = nn.Sequential(*mods)
    params_before = enc_named_params(model)
    out = model(x)
    loss_mod = getattr(nn, loss[0])(reduction=loss[1])
    lv = loss_mod(out, target)
    lv.backward()
    MODULE_CASES.append({
        "name": name,
        "dtype": DTYPE_NAMES[dtype],
        "layers": [{"type": s[0], **({"in": s[1], "out": s[2]} if s[0] == "Linear" else {})} for s in layers],
        "parameters": params_before,
        "input": enc(x, False),
        "target": enc(target),
        "loss": {"type": loss[0], "reduction": loss[1]},
        "output": enc(out),
        "outputGradFn": grad_fn_name(out),
        "lossValue": enc(lv),
        "lossGradFn": grad_fn_name(lv),
        "grads": [{"name": n, **enc(p.grad)} for n, p in model.named_parameters()],
    })


def build_module_cases():
    module_case("mlp/relu_crossentropy_float64",
                [("Linear", 4, 8), ("ReLU",), ("Linear", 8, 3)],
                rnd(6, 4), torch.tensor([0, 2, 1, 1, 0, 2]), ("CrossEntropyLoss", "mean"))
    module_case("mlp/tanh_sigmoid_mse_float64",
                [("Linear", 3, 5), ("Tanh",), ("Linear", 5, 4), ("Sigmoid",), ("Linear", 4, 2)],
                rnd(4, 3), rnd(4, 2), ("MSELoss", "mean"))
    module_case("mlp/relu_crossentropy_sum_float64",
                [("Linear", 5, 6), ("ReLU",), ("Linear", 6, 6), ("ReLU",), ("Linear", 6, 4)],
                rnd(3, 5), torch.tensor([3, 0, 2]), ("CrossEntropyLoss", "sum"))
    module_case("linear/1d_input_float64", [("Linear", 3, 2)], rnd(3), rnd(2), ("MSELoss", "sum"))
    module_case("linear/3d_input_float64", [("Linear", 3, 2)], rnd(2, 4, 3), rnd(2, 4, 2), ("MSELoss", "mean"))
    module_case("mlp/relu_crossentropy_float32",
                [("Linear", 4, 8), ("ReLU",), ("Linear", 8, 3)],
                rnd(6, 4, dtype=F32), torch.tensor([1, 2, 0, 1, 0, 2]), ("CrossEntropyLoss", "mean"), dtype=F32)


# ---------------------------------------------------------------- optimizers

OPTIM_CASES = []

OPT_PY_NAMES = {"lr": "lr", "momentum": "momentum", "dampening": "dampening", "weightDecay": "weight_decay",
                "nesterov": "nesterov", "betas": "betas", "eps": "eps", "amsgrad": "amsgrad"}


def quad_loss(params, problem):
    """loss = sum_i sum((p_i * a_i - b_i) ** 2) + 0.1 * sum_i sum(p_i ** 3); unused params skipped."""
    total = None
    for p, prob in zip(params, problem):
        if prob is None:
            continue
        a, b = prob
        term = (p * a - b).pow(2).sum() + (p.pow(3).sum() * 0.1)
        total = term if total is None else total + term
    return total


def optim_case(name, opt_name, options, shapes, steps=4, groups=None, unused=()):
    params = [rnd(*s, lo=-1, hi=1).requires_grad_(True) for s in shapes]
    problem = [None if i in unused else (rnd(*s, lo=-1.5, hi=1.5), rnd(*s, lo=-1, hi=1)) for i, s in enumerate(shapes)]
    init = [enc(p, True) for p in params]
    py_opts = {OPT_PY_NAMES[k]: (tuple(v) if isinstance(v, list) else v) for k, v in options.items()}
    cls = getattr(torch.optim, opt_name)
    if groups is None:
        opt = cls(params, **py_opts)
    else:
        opt = cls([{"params": [params[i] for i in grp["params"]],
                    **{OPT_PY_NAMES[k]: (tuple(v) if isinstance(v, list) else v) for k, v in grp.get("options", {}).items()}}
                   for grp in groups], **py_opts)
    recorded = []
    for _ in range(steps):
        opt.zero_grad(set_to_none=True)
        loss = quad_loss(params, problem)
        loss.backward()
        grads = [enc(p.grad) for p in params]
        opt.step()
        recorded.append({"loss": loss.item(), "grads": grads, "params": [enc(p) for p in params]})
    OPTIM_CASES.append({
        "name": name,
        "optimizer": opt_name,
        "options": options,
        "groups": groups,
        "params": init,
        "problem": [None if pr is None else {"a": enc(pr[0]), "b": enc(pr[1])} for pr in problem],
        "steps": recorded,
    })


def build_optim_cases():
    S = [(2, 3), (3,)]
    optim_case("SGD/plain", "SGD", {"lr": 0.1}, S)
    optim_case("SGD/momentum", "SGD", {"lr": 0.05, "momentum": 0.9}, S)
    optim_case("SGD/momentum_dampening", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}, S)
    optim_case("SGD/weight_decay", "SGD", {"lr": 0.1, "weightDecay": 0.05}, S)
    optim_case("SGD/nesterov", "SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True}, S)
    optim_case("SGD/all", "SGD", {"lr": 0.03, "momentum": 0.7, "weightDecay": 0.01, "nesterov": True}, S, steps=5)
    optim_case("SGD/param_groups", "SGD", {"lr": 0.1, "momentum": 0.5}, S,
               groups=[{"params": [0]}, {"params": [1], "options": {"lr": 0.01, "momentum": 0.9}}])
    optim_case("SGD/unused_param_skipped", "SGD", {"lr": 0.1, "momentum": 0.9, "weightDecay": 0.1}, S, unused=(1,))
    optim_case("Adam/default", "Adam", {"lr": 0.001}, S, steps=5)
    optim_case("Adam/lr_betas_eps", "Adam", {"lr": 0.05, "betas": [0.8, 0.95], "eps": 1e-6}, S, steps=5)
    optim_case("Adam/weight_decay", "Adam", {"lr": 0.05, "weightDecay": 0.1}, S, steps=5)
    optim_case("Adam/amsgrad", "Adam", {"lr": 0.05, "amsgrad": True}, S, steps=6)
    optim_case("Adam/amsgrad_weight_decay", "Adam", {"lr": 0.02, "amsgrad": True, "weightDecay": 0.05}, S, steps=5)
    optim_case("Adam/param_groups", "Adam", {"lr": 0.05}, S,
               groups=[{"params": [0], "options": {"betas": [0.5, 0.6]}}, {"params": [1]}], steps=4)
    optim_case("AdamW/default_weight_decay", "AdamW", {"lr": 0.05}, S, steps=5)
    optim_case("AdamW/weight_decay", "AdamW", {"lr": 0.05, "weightDecay": 0.2}, S, steps=5)
    optim_case("AdamW/amsgrad", "AdamW", {"lr": 0.05, "weightDecay": 0.1, "amsgrad": True}, S, steps=6)

    # End to end: a small MLP trained for a few steps (forward, loss, backward, step)
    for opt_name, options in [("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weightDecay": 0.001}),
                              ("Adam", {"lr": 0.01, "weightDecay": 0.001}),
                              ("AdamW", {"lr": 0.01, "amsgrad": True})]:
        layers = [("Linear", 4, 6), ("ReLU",), ("Linear", 6, 3)]
        mods = []
        for spec in layers:
            if spec[0] == "Linear":
                lin = nn.Linear(spec[1], spec[2], dtype=F64)
                with torch.no_grad():
                    lin.weight.copy_(rnd(spec[2], spec[1], lo=-0.8, hi=0.8))
                    lin.bias.copy_(rnd(spec[2], lo=-0.3, hi=0.3))
                mods.append(lin)
            else:
                mods.append(nn.ReLU())
        model = nn.Sequential(*mods)
        init = enc_named_params(model)
        x = rnd(8, 4)
        y = rnd_int(3, 8)
        py_opts = {OPT_PY_NAMES[k]: v for k, v in options.items()}
        opt = getattr(torch.optim, opt_name)(model.parameters(), **py_opts)
        losses = []
        for _ in range(6):
            opt.zero_grad(set_to_none=True)
            loss = nn.CrossEntropyLoss()(model(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        OPTIM_CASES.append({
            "name": f"training/mlp_{opt_name}",
            "optimizer": opt_name,
            "options": options,
            "training": {
                "layers": [{"type": sp[0], **({"in": sp[1], "out": sp[2]} if sp[0] == "Linear" else {})} for sp in layers],
                "parameters": init,
                "input": enc(x, False),
                "target": enc(y),
                "losses": losses,
                "finalParameters": enc_named_params(model),
            },
        })

    # Freezing, as the PyTorch fine-tuning docs show: frozen backbone, new head, optimizer
    # over the head only. Frozen parameters keep grad None and never change.
    backbone = nn.Linear(4, 5, dtype=F64)
    head = nn.Linear(5, 3, dtype=F64)
    with torch.no_grad():
        for lin in (backbone, head):
            lin.weight.copy_(rnd(*lin.weight.shape, lo=-0.8, hi=0.8))
            lin.bias.copy_(rnd(*lin.bias.shape, lo=-0.3, hi=0.3))
    init = {"backbone": enc_named_params(backbone), "head": enc_named_params(head)}
    backbone.requires_grad_(False)
    x = rnd(6, 4)
    y = torch.tensor([0, 2, 1, 1, 0, 2])
    model = nn.Sequential(backbone, nn.ReLU(), head)
    opt = torch.optim.SGD(head.parameters(), lr=0.1, momentum=0.9)
    steps = []
    for _ in range(3):
        opt.zero_grad(set_to_none=True)
        out = model(x)
        loss = nn.CrossEntropyLoss()(out, y)
        loss.backward()
        opt.step()
        steps.append({
            "loss": loss.item(),
            "backboneGrads": [None if p.grad is None else enc(p.grad) for p in backbone.parameters()],
            "headGrads": [enc(p.grad) for p in head.parameters()],
            "head": [enc(p) for p in head.parameters()],
            "backbone": [enc(p) for p in backbone.parameters()],
        })
    OPTIM_CASES.append({
        "name": "freezing/backbone_frozen_head_sgd",
        "optimizer": "SGD",
        "options": {"lr": 0.1, "momentum": 0.9},
        "freezing": {
            "initial": init,
            "input": enc(x, False),
            "target": enc(y),
            "backboneRequiresGradAfterFreeze": [p.requires_grad for p in backbone.parameters()],
            "steps": steps,
        },
    })


# ---------------------------------------------------------------- autograd semantics

AUTOGRAD_CASES = []


def ag(name, **record):
    AUTOGRAD_CASES.append({"name": name, **record})


def build_autograd_cases():
    # higher order: grad of grad
    xv = rnd(4)
    x = xv.clone().requires_grad_(True)
    y = x.pow(3).sum()
    (gx,) = torch.autograd.grad(y, x, create_graph=True)
    gx_req = gx.requires_grad
    gx_fn = grad_fn_name(gx)
    (ggx,) = torch.autograd.grad(gx.sum(), x)
    ag("higher_order/grad_of_grad_cube", x=enc(xv, True), grad=enc(gx), gradRequiresGrad=gx_req,
       gradGradFn=gx_fn, gradGrad=enc(ggx), xGradAfter=enc(x.grad))

    # higher order: d/dx sum(grad(y, x)^2), y = sum(exp(x) * w)
    xv, wv = rnd(3), rnd(3)
    x = xv.clone().requires_grad_(True)
    w = wv.clone().requires_grad_(True)
    y = (x.exp() * w * x).sum()
    (gx,) = torch.autograd.grad(y, x, create_graph=True)
    (gx * gx).sum().backward()
    ag("higher_order/backward_through_grad", x=enc(xv, True), w=enc(wv, True), grad=enc(gx),
       xGrad=enc(x.grad), wGrad=enc(w.grad))

    # backward(create_graph=True): x.grad carries a graph
    xv = rnd(3)
    x = xv.clone().requires_grad_(True)
    with warnings.catch_warnings():
        # "Using backward() with create_graph=True will create a reference cycle ..." (a
        # memory-leak advisory about Python reference cycles; not part of the engine spec)
        warnings.simplefilter("ignore")
        (x.pow(3).sum()).backward(create_graph=True)
    ag("higher_order/backward_create_graph", x=enc(xv, True), xGrad=enc(x.grad),
       xGradRequiresGrad=x.grad.requires_grad, xGradGradFn=grad_fn_name(x.grad))

    # autograd.grad with gradOutputs, several inputs, and no .grad population
    xv, wv, vv = rnd(2, 3), rnd(2, 3), rnd(2, 3)
    x = xv.clone().requires_grad_(True)
    w = wv.clone().requires_grad_(True)
    gxs = torch.autograd.grad(x * w + x.exp(), [x, w], grad_outputs=vv)
    ag("autograd_grad/grad_outputs_two_inputs", x=enc(xv, True), w=enc(wv, True), gradOutputs=enc(vv),
       grads=[enc(t) for t in gxs], xGradAfter=enc(x.grad), wGradAfter=enc(w.grad))

    # allowUnused
    xv, uv = rnd(3), rnd(3)
    x = xv.clone().requires_grad_(True)
    u = uv.clone().requires_grad_(True)
    gxs = torch.autograd.grad((x * x).sum(), [x, u], allow_unused=True)
    ag("autograd_grad/allow_unused", x=enc(xv, True), u=enc(uv, True), grads=[enc(t) for t in gxs])

    # retainGraph: autograd.grad twice
    xv = rnd(3)
    x = xv.clone().requires_grad_(True)
    y = (x * x.tanh()).sum()
    (g1,) = torch.autograd.grad(y, x, retain_graph=True)
    (g2,) = torch.autograd.grad(y, x)
    ag("autograd_grad/retain_graph_twice", x=enc(xv, True), grads=[enc(g1), enc(g2)])

    # retain_grad on intermediates
    xv = rnd(2, 3)
    x = xv.clone().requires_grad_(True)
    a = x * 2
    a.retain_grad()
    b = a.exp()
    b.retain_grad()
    loss = (b * a).sum()
    loss.backward()
    ag("retain_grad/intermediates", x=enc(xv, True), aGrad=enc(a.grad), bGrad=enc(b.grad), xGrad=enc(x.grad),
       aRetainsGrad=a.retains_grad, xRetainsGrad=x.retains_grad, aIsLeaf=a.is_leaf)

    # accumulation across backward calls (retain_graph) and a second graph
    xv = rnd(3)
    x = xv.clone().requires_grad_(True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    after1 = enc(x.grad)
    y.backward()
    after2 = enc(x.grad)
    (x * 3).sum().backward()
    after3 = enc(x.grad)
    ag("accumulate/backward_twice_retain_graph", x=enc(xv, True), after1=after1, after2=after2, after3=after3)

    # a graph without saved tensors can be backpropagated twice without retain_graph
    xv = rnd(3)
    x = xv.clone().requires_grad_(True)
    y = (x + 1).sum()
    y.backward()
    y.backward()
    ag("accumulate/no_saved_tensors_backward_twice", x=enc(xv, True), xGrad=enc(x.grad))

    # non-scalar backward with an explicit gradient
    xv, vv = rnd(2, 3), rnd(2, 3)
    x = xv.clone().requires_grad_(True)
    (x * x * 0.5 + x).backward(vv)
    ag("backward/explicit_gradient", x=enc(xv, True), gradient=enc(vv), xGrad=enc(x.grad))

    # hooks
    xv = rnd(3)
    x = xv.clone().requires_grad_(True)
    a = x * 3
    seen = []
    a.register_hook(lambda gr: seen.append(gr.clone()) or gr * 2)
    (a * a).sum().backward()
    ag("hooks/non_leaf_doubles_grad", x=enc(xv, True), hookSaw=enc(seen[0]), xGrad=enc(x.grad))

    xv = rnd(3)
    x = xv.clone().requires_grad_(True)
    seen = []
    x.register_hook(lambda gr: seen.append(gr.clone()) or (gr + 1))
    (x * x).sum().backward()
    first = enc(x.grad)
    (x * 5).sum().backward()
    ag("hooks/leaf_modifies_grad_before_accumulation", x=enc(xv, True), hookSaw=[enc(s) for s in seen],
       xGradAfterFirst=first, xGradAfterSecond=enc(x.grad))

    xv = rnd(3)
    x = xv.clone().requires_grad_(True)
    calls = []
    h = x.register_hook(lambda gr: calls.append(1) or gr * 10)
    (x * 2).sum().backward()
    h.remove()
    x.grad = None
    (x * 2).sum().backward()
    ag("hooks/remove", x=enc(xv, True), callsBeforeRemove=1, totalCalls=len(calls), xGradAfterRemove=enc(x.grad))

    # in-place ops on non-leaves: values, grads, versions, gradFn rebasing
    xv = rnd(3)
    x = xv.clone().requires_grad_(True)
    y = x * 1
    v0 = y._version
    y.mul_(2)
    y.add_(1)
    fn = grad_fn_name(y)
    z = (y * y).sum()
    z.backward()
    ag("inplace/non_leaf_mul_add", x=enc(xv, True), y=enc(y), versions=[v0, y._version], yGradFn=fn,
       xGrad=enc(x.grad))

    # requires_grad propagation and leaf rules
    xv = rnd(3)
    x = xv.clone().requires_grad_(True)
    cst = rnd(3)
    facts = []

    def fact(expr, t):
        facts.append({"expr": expr, "requiresGrad": t.requires_grad, "isLeaf": t.is_leaf,
                      "gradFn": grad_fn_name(t)})

    fact("x", x)
    fact("c", cst)
    fact("x.mul(c)", x * cst)
    fact("c.mul(2)", cst * 2)
    with torch.no_grad():
        fact("noGrad(x.mul(2))", x * 2)
    fact("x.detach()", x.detach())
    fact("x.detach().requiresGrad_()", x.detach().requires_grad_())
    fact("x.mul(2).detach()", (x * 2).detach())
    fact("x.sum()", x.sum())
    fact("x.clone()", x.clone())
    fact("c.clone()", cst.clone())
    with torch.no_grad():
        inner = None
        with torch.enable_grad():
            inner = x * 2
    fact("noGrad(enableGrad(x.mul(2)))", inner)
    p = nn.Parameter(torch.zeros(2, dtype=F64))
    fact("new nn.Parameter(zeros(2))", p)
    ag("leaf_rules/facts", x=enc(xv, True), c=enc(cst, False), facts=facts)

    # gradFn graph structure (names of nextFunctions, null for None)
    a = rnd(3).requires_grad_(True)
    b = rnd(3)
    cc = rnd(3).requires_grad_(True)
    y = (a * b + cc).sum()

    def structure(fn):
        if fn is None:
            return None
        return {"name": type(fn).__name__,
                "next": [structure(n) if n is not None else None for n, _ in fn.next_functions]}

    ag("grad_fn/structure_sum_add_mul", structure=structure(y.grad_fn))

    # no_grad blocks recording; in-place under no_grad on a leaf is allowed
    xv = rnd(3)
    x = xv.clone().requires_grad_(True)
    with torch.no_grad():
        x.mul_(2)
    ver = x._version
    (x * x).sum().backward()
    ag("no_grad/inplace_on_leaf_allowed", x=enc(xv, True), xAfter=enc(x), xVersion=ver, xGrad=enc(x.grad))

    # copy_ into a non-leaf: the overwritten path gets a zero gradient
    xv, zv, wv = rnd(3), rnd(3), rnd(3)
    x = xv.clone().requires_grad_(True)
    z = zv.clone().requires_grad_(True)
    y = x * 2
    y.copy_(z * 3)
    y_fn = grad_fn_name(y)
    (y * wv).sum().backward()
    ag("inplace/copy_into_non_leaf", x=enc(xv, True), z=enc(zv, True), w=enc(wv, False), y=enc(y), yGradFn=y_fn,
       xGrad=enc(x.grad), zGrad=enc(z.grad))

    # zero_ and fill_ on a non-leaf
    xv = rnd(3)
    x = xv.clone().requires_grad_(True)
    y = x * 2
    y.zero_()
    y_fn = grad_fn_name(y)
    (y + x * x).sum().backward()
    zero_grad = enc(x.grad)
    x.grad = None
    y2 = x * 2
    y2.fill_(1.5)
    y2_fn = grad_fn_name(y2)
    (y2 * x).sum().backward()
    ag("inplace/zero_and_fill_non_leaf", x=enc(xv, True), zeroGradFn=y_fn, xGradAfterZero=zero_grad,
       fillGradFn=y2_fn, xGradAfterFill=enc(x.grad))

    # sub_ and div_ with a tensor that requires grad
    xv, wv = rnd(2, 3), rnd(3)
    x = xv.clone().requires_grad_(True)
    w = wv.clone().requires_grad_(True)
    y = x * 1
    y.sub_(w)
    y.div_(2)
    y_fn = grad_fn_name(y)
    y.pow(2).sum().backward()
    ag("inplace/sub_div_broadcast", x=enc(xv, True), w=enc(wv, True), y=enc(y), yGradFn=y_fn, version=y._version,
       xGrad=enc(x.grad), wGrad=enc(w.grad))

    # in-place on a view of a non-leaf: the base's history is rewritten
    xv = rnd(2, 3)
    x = xv.clone().requires_grad_(True)
    a = x * 1
    v = a.select(0, 0)
    v.mul_(2)
    a_fn = grad_fn_name(a)
    (a * a).sum().backward()
    ag("inplace/view_of_non_leaf", x=enc(xv, True), a=enc(a), aGradFn=a_fn, aVersion=a._version,
       xGrad=enc(x.grad))

    # detach_ turns a non-leaf into a leaf that does not require grad
    x = rnd(3).requires_grad_(True)
    y = x * 2
    y.detach_()
    ag("detach_/non_leaf", requiresGrad=y.requires_grad, isLeaf=y.is_leaf, gradFn=grad_fn_name(y))

    # grad modes
    x = rnd(3).requires_grad_(True)
    torch.set_grad_enabled(False)
    enabled_inside = torch.is_grad_enabled()
    y = x * 2
    torch.set_grad_enabled(True)
    with torch.no_grad():
        in_no_grad = torch.is_grad_enabled()
    ag("grad_mode/set_grad_enabled", enabledInside=enabled_inside, yRequiresGrad=y.requires_grad,
       yIsLeaf=y.is_leaf, enabledAfter=torch.is_grad_enabled(), enabledInNoGrad=in_no_grad)

    # a hook on a tensor used twice runs once, with the summed gradient
    xv = rnd(3)
    x = xv.clone().requires_grad_(True)
    a = x * 2
    seen = []
    a.register_hook(lambda gr: seen.append(gr.clone()))
    (a * a + a).sum().backward()
    ag("hooks/called_once_with_total_grad", x=enc(xv, True), calls=len(seen), hookSaw=enc(seen[0]),
       xGrad=enc(x.grad))

    # autograd.grad with two outputs and two gradOutputs
    xv, g1v, g2v = rnd(3), rnd(3), rnd(2)
    x = xv.clone().requires_grad_(True)
    y1 = x.exp()
    y2 = x[:2] * x[1:]
    (gx,) = torch.autograd.grad([y1, y2], [x], grad_outputs=[g1v, g2v])
    ag("autograd_grad/two_outputs", x=enc(xv, True), gradOutputs=[enc(g1v), enc(g2v)], grad=enc(gx))

    # zero_grad(set_to_none=False) keeps zero tensors; True (the engine's default) clears
    lin = nn.Linear(3, 2, dtype=F64)
    with torch.no_grad():
        lin.weight.copy_(rnd(2, 3))
        lin.bias.copy_(rnd(2))
    xin = rnd(4, 3)
    opt = torch.optim.SGD(lin.parameters(), lr=0.1)
    lin(xin).sum().backward()
    before = [enc(p.grad) for p in lin.parameters()]
    opt.zero_grad(set_to_none=False)
    zeros_after = [enc(p.grad) for p in lin.parameters()]
    opt.zero_grad(set_to_none=True)
    none_after = [p.grad for p in lin.parameters()]
    lin(xin).sum().backward()
    lin.zero_grad(set_to_none=True)
    module_none = [p.grad for p in lin.parameters()]
    ag("zero_grad/set_to_none", weight=enc(lin.weight), bias=enc(lin.bias), input=enc(xin), gradsBefore=before,
       gradsAfterSetToNoneFalse=zeros_after, gradsAfterSetToNoneTrue=none_after, moduleZeroGrad=module_none)


# ---------------------------------------------------------------- errors and warnings

ERROR_CASES = []

TRIGGERED_RE = re.compile(r"\s*\(Triggered internally at [^)]*\)\.?$")

# snake_case / Python-only names a message mentions. The engine reproduces the text
# verbatim anyway (the spec: PyTorch's texts are the specification); this list only
# documents where the text names Python API the TS user would spell differently.
PY_NAMES = ["retain_graph", "allow_unused", "retain_grad", "requires_grad", "var_no_grad", "set_detect_anomaly",
            "torch.DoubleTensor", "torch.FloatTensor", "torch.Size", "weight_decay", "autograd.grad()",
            ".backward()", ".reshape(...)", "grad_fn", "grad_output", "torch.autograd"]

ERROR_SNIPPETS = [
    # name, python source, note
    ("requires_grad/set_false_on_non_leaf",
     "x = torch.ones(3, dtype=torch.float64, requires_grad=True); y = x * 2; y.requires_grad = False", None),
    ("requires_grad/set_true_on_non_leaf",
     "x = torch.ones(3, dtype=torch.float64, requires_grad=True); y = x * 2; y.requires_grad = True", None),
    ("requires_grad/requires_grad__false_on_non_leaf",
     "x = torch.ones(3, dtype=torch.float64, requires_grad=True); y = x * 2; y.requires_grad_(False)", None),
    ("requires_grad/factory_int64",
     "torch.tensor([1, 2], dtype=torch.int64, requires_grad=True)",
     "tensor(values, { dtype: 'int64', requiresGrad: true })"),
    ("requires_grad/requires_grad__int64",
     "torch.tensor([1, 2], dtype=torch.int64).requires_grad_()", None),
    ("requires_grad/setter_int64",
     "t = torch.tensor([1, 2], dtype=torch.int64); t.requires_grad = True", None),
    ("backward/twice_saved_tensors_freed",
     "x = torch.ones(3, dtype=torch.float64, requires_grad=True); y = (x * x).sum(); y.backward(); y.backward()", None),
    ("backward/non_scalar_without_gradient",
     "x = torch.ones(3, dtype=torch.float64, requires_grad=True); (x * 2).backward()", None),
    ("backward/does_not_require_grad",
     "x = torch.ones(3, dtype=torch.float64); (x * 2).sum().backward()", None),
    ("backward/gradient_shape_mismatch",
     "x = torch.ones(3, dtype=torch.float64, requires_grad=True); (x * 2).backward(torch.ones(2, dtype=torch.float64))",
     "torch.Size([..]) is Python's repr of a shape"),
    ("inplace/version_counter_mul",
     "x = torch.ones(3, dtype=torch.float64, requires_grad=True); a = x * 2; b = a * a; a.add_(1); b.sum().backward()",
     "after a.add_(1) the saved tensor a is 'output 0 of AddBackward0' (in-place ops rebase the gradFn)"),
    ("inplace/version_counter_exp_result",
     "x = torch.ones(2, 3, dtype=torch.float64, requires_grad=True); a = x.exp(); a.mul_(2); a.sum().backward()",
     "exp saves its result; in-place on the result invalidates it"),
    ("inplace/version_counter_float32",
     "x = torch.ones(3, requires_grad=True); a = x * 2; b = a * a; a.add_(1); b.sum().backward()",
     "float32 tensors are described as torch.FloatTensor"),
    ("inplace/leaf_requires_grad",
     "x = torch.ones(3, dtype=torch.float64, requires_grad=True); x.add_(1)", None),
    ("autograd_grad/unused_input",
     "x = torch.ones(3, dtype=torch.float64, requires_grad=True); u = torch.ones(3, dtype=torch.float64, requires_grad=True); torch.autograd.grad((x * 2).sum(), [x, u])",
     None),
    ("hooks/register_on_tensor_without_grad",
     "torch.ones(3, dtype=torch.float64).register_hook(lambda g: g)", None),
    ("retain_grad/tensor_without_grad",
     "torch.ones(3, dtype=torch.float64).retain_grad()", None),
    ("shape/mm_mismatch",
     "torch.ones(2, 3, dtype=torch.float64).mm(torch.ones(4, 5, dtype=torch.float64))", None),
    ("shape/matmul_mismatch",
     "torch.ones(2, 3, dtype=torch.float64).matmul(torch.ones(4, 5, dtype=torch.float64))", None),
    ("shape/broadcast_mismatch",
     "torch.ones(2, 3, dtype=torch.float64) + torch.ones(2, 4, dtype=torch.float64)", None),
    ("shape/view_non_contiguous",
     "torch.ones(2, 3, dtype=torch.float64).t().view(6)", None),
    ("shape/view_bad_numel",
     "torch.ones(2, 3, dtype=torch.float64).view(4)", None),
    ("shape/reshape_bad_numel",
     "torch.ones(2, 3, dtype=torch.float64).reshape(4)", None),
    ("shape/dim_out_of_range",
     "torch.ones(2, 3, dtype=torch.float64).sum(2)", None),
    ("item/more_than_one_element",
     "torch.ones(2, 3, dtype=torch.float64).item()", None),
    ("nn/cross_entropy_target_out_of_bounds",
     "torch.nn.CrossEntropyLoss()(torch.ones(4, 5, dtype=torch.float64), torch.tensor([0, 1, 2, 5]))", None),
    ("nn/linear_shape_mismatch",
     "torch.nn.Linear(3, 2, dtype=torch.float64)(torch.ones(4, 5, dtype=torch.float64))", None),
    ("grad/assign_wrong_shape",
     "x = torch.ones(3, dtype=torch.float64, requires_grad=True); x.grad = torch.zeros(2, dtype=torch.float64)", None),
    ("grad/assign_wrong_dtype",
     "x = torch.ones(3, dtype=torch.float64, requires_grad=True); x.grad = torch.zeros(3)", None),
    ("autograd_grad/input_does_not_require_grad",
     "x = torch.ones(3, dtype=torch.float64, requires_grad=True); c = torch.ones(3, dtype=torch.float64); torch.autograd.grad((x * c).sum(), [c])",
     None),
    ("inplace/view_of_leaf_requires_grad",
     "x = torch.ones(2, 3, dtype=torch.float64, requires_grad=True); x.select(0, 0).mul_(2)", None),
    ("shape/cat_mismatch",
     "torch.cat([torch.ones(2, 3, dtype=torch.float64), torch.ones(2, 4, dtype=torch.float64)], 0)", None),
    ("shape/stack_mismatch",
     "torch.stack([torch.ones(2, 3, dtype=torch.float64), torch.ones(2, 4, dtype=torch.float64)], 0)", None),
    ("shape/expand_mismatch",
     "torch.ones(2, 3, dtype=torch.float64).expand(2, 4)", "two spaces after each '.' are PyTorch's"),
    ("shape/permute_duplicate_dims",
     "torch.ones(2, 3, dtype=torch.float64).permute(0, 0)", None),
    ("shape/view_two_inferred",
     "torch.ones(2, 3, dtype=torch.float64).view(-1, -1)", None),
    ("shape/reshape_bad_inferred",
     "torch.ones(2, 3, dtype=torch.float64).reshape(-1, 4)", None),
    ("shape/narrow_too_long",
     "torch.ones(2, 3, dtype=torch.float64).narrow(1, 2, 2)", None),
    ("shape/softmax_dim_out_of_range",
     "torch.ones(2, 3, dtype=torch.float64).softmax(2)", None),
    ("shape/unsqueeze_dim_out_of_range",
     "torch.ones(2, 3, dtype=torch.float64).unsqueeze(3)", None),
    ("shape/where_broadcast_mismatch",
     "torch.where(torch.tensor([True, False]), torch.ones(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64))", None),
    ("shape/batched_matmul_broadcast_mismatch",
     "torch.matmul(torch.ones(2, 3, 4, dtype=torch.float64), torch.ones(5, 4, 2, dtype=torch.float64))", None),
    ("index/gather_out_of_bounds",
     "torch.ones(3, 4, dtype=torch.float64).gather(1, torch.tensor([[5]]))", None),
    ("index/select_out_of_range",
     "torch.ones(3, 4, dtype=torch.float64).select(0, 5)", None),
    ("index/index_select_out_of_range",
     "torch.ones(3, 4, dtype=torch.float64).index_select(0, torch.tensor([3]))", None),
    ("nn/cross_entropy_batch_mismatch",
     "torch.nn.CrossEntropyLoss()(torch.ones(4, 5, dtype=torch.float64), torch.tensor([0, 1, 2]))", None),
    ("optim/sgd_negative_lr",
     "torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=-0.1)", None),
    ("optim/sgd_negative_momentum",
     "torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1, momentum=-1)",
     "-1 is a Python int; JS String(-1) is '-1' too"),
    ("optim/sgd_negative_weight_decay",
     "torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1, weight_decay=-0.5)", None),
    ("optim/sgd_nesterov_without_momentum",
     "torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1, nesterov=True)", None),
    ("optim/sgd_nesterov_with_dampening",
     "torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)", None),
    ("optim/sgd_empty_parameter_list",
     "torch.optim.SGD([], lr=0.1)", None),
    ("optim/sgd_non_leaf_parameter",
     "torch.optim.SGD([torch.zeros(2, requires_grad=True) * 2], lr=0.1)", None),
    ("optim/adam_negative_lr",
     "torch.optim.Adam([torch.zeros(2, requires_grad=True)], lr=-0.1)", None),
    ("optim/adam_negative_eps",
     "torch.optim.Adam([torch.zeros(2, requires_grad=True)], eps=-0.5)", None),
    ("optim/adam_beta0_out_of_range",
     "torch.optim.Adam([torch.zeros(2, requires_grad=True)], betas=(1.5, 0.999))",
     "values chosen so Python's repr equals JS String(): avoid 1.0 (Python '1.0', JS '1')"),
    ("optim/adam_beta1_out_of_range",
     "torch.optim.Adam([torch.zeros(2, requires_grad=True)], betas=(0.9, -0.5))", None),
    ("optim/adam_negative_weight_decay",
     "torch.optim.Adam([torch.zeros(2, requires_grad=True)], weight_decay=-0.5)", None),
    ("optim/adamw_negative_lr",
     "torch.optim.AdamW([torch.zeros(2, requires_grad=True)], lr=-0.1)", None),
    ("optim/adamw_beta0_out_of_range",
     "torch.optim.AdamW([torch.zeros(2, requires_grad=True)], betas=(1.5, 0.999))", None),
]

# Texts that PyTorch >= 2.0 words differently from Debian's 1.13. Only where the newer text
# is known for certain; the test accepts either version's (type, message).
MODERN_ERRORS = {
    # torch 2.x checks numel in _local_scalar_dense and raises RuntimeError
    "item/more_than_one_element": {"type": "RuntimeError",
                                   "message": "a Tensor with 6 elements cannot be converted to Scalar"},
}

WARNING_SNIPPETS = [
    ("nn/mse_loss_size_mismatch",
     "torch.nn.MSELoss()(torch.ones(4, 5, dtype=torch.float64), torch.ones(5, dtype=torch.float64))",
     "mentions torch.Size([..]), Python's repr of a shape"),
    ("grad/read_on_non_leaf",
     "x = torch.ones(3, dtype=torch.float64, requires_grad=True); y = x * 2; y.grad",
     "PyTorch appends ' (Triggered internally at <C++ file>:<line>.)'; that build-specific suffix is stripped"),
]


def build_error_cases():
    for name, src, note in ERROR_SNIPPETS:
        try:
            exec(src, {"torch": torch})
        except Exception as e:  # noqa: BLE001
            msg = str(e)
            ERROR_CASES.append({
                "name": name, "kind": "error", "type": type(e).__name__, "message": msg,
                "engineMessage": msg,
                "pythonNames": [n for n in PY_NAMES if n in msg],
                "python": src, **({"note": note} if note else {}),
                **({"modern": MODERN_ERRORS[name]} if name in MODERN_ERRORS else {}),
            })
            continue
        raise SystemExit(f"error snippet {name} did not raise")
    for name, src, note in WARNING_SNIPPETS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            exec(src, {"torch": torch})
        if len(caught) != 1:
            raise SystemExit(f"warning snippet {name} produced {len(caught)} warnings")
        msg = TRIGGERED_RE.sub("", str(caught[0].message))
        ERROR_CASES.append({
            "name": name, "kind": "warning", "type": caught[0].category.__name__, "message": msg,
            "engineMessage": msg,
            "pythonNames": [n for n in PY_NAMES if n in msg],
            "python": src, **({"note": note} if note else {}),
        })
    # Things that must NOT raise or warn (same texts-as-spec spirit): recorded so the
    # engine test asserts the absence.
    ok = [
        ("no_error/requires_grad__true_on_non_leaf",
         "x = torch.ones(3, dtype=torch.float64, requires_grad=True); y = x * 2; y.requires_grad_(True)"),
        ("no_error/grad_on_leaf_no_warning",
         "x = torch.ones(3, dtype=torch.float64, requires_grad=True); x.grad"),
        ("no_error/grad_on_non_leaf_with_retain_grad_no_warning",
         "x = torch.ones(3, dtype=torch.float64, requires_grad=True); y = x * 2; y.retain_grad(); y.grad"),
        ("no_error/inplace_on_leaf_under_no_grad",
         "x = torch.ones(3, dtype=torch.float64, requires_grad=True)\nwith torch.no_grad():\n    x.add_(1)"),
        ("no_error/set_requires_grad_on_leaf",
         "x = torch.ones(3, dtype=torch.float64); x.requires_grad = True; x.requires_grad = False"),
    ]
    for name, src in ok:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            exec(src, {"torch": torch})
        if caught:
            raise SystemExit(f"{name} warned: {caught[0].message}")
        ERROR_CASES.append({"name": name, "kind": "none", "python": src})


# ---------------------------------------------------------------- output

def write(fname, cases, description):
    path = os.path.join(OUT_DIR, fname)
    header = {"torchVersion": torch.__version__, "generator": "scripts/golden/generate.py",
              "description": description, "count": len(cases)}
    head = json.dumps(header, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    lines = [json.dumps(cs, separators=(",", ":"), ensure_ascii=False, allow_nan=False) for cs in cases]
    text = head[:-1] + ',"cases":[\n' + ",\n".join(lines) + "\n]}\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return len(text)


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    build_op_cases()
    build_loss_cases()
    build_module_cases()
    build_optim_cases()
    build_autograd_cases()
    build_error_cases()
    total = 0
    total += write("ops.json", OP_CASES, "Differentiable ops: forward output, gradFn name and input grads")
    total += write("losses.json", LOSS_CASES, "MSELoss and CrossEntropyLoss (class indices) in every reduction")
    total += write("modules.json", MODULE_CASES, "Linear/ReLU/Tanh/Sigmoid/Sequential forward and backward")
    total += write("optim.json", OPTIM_CASES, "SGD/Adam/AdamW steps on a fixed problem; freezing")
    total += write("autograd.json", AUTOGRAD_CASES, "Autograd semantics: higher order, autograd.grad, hooks, leaf rules")
    total += write("errors.json", ERROR_CASES, "PyTorch's error and warning texts, verbatim")
    n = sum(len(x) for x in (OP_CASES, LOSS_CASES, MODULE_CASES, OPTIM_CASES, AUTOGRAD_CASES, ERROR_CASES))
    print(f"torch {torch.__version__}: wrote {n} cases, {total} bytes to {os.path.relpath(OUT_DIR, ROOT)}/")


if __name__ == "__main__":
    main()
