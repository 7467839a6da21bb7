#!/usr/bin/env python3
"""Writes the optimizer parity fixtures: torch's loss sequences that the Java optimizers must
reproduce (src/test/java/org/stylesweep/optim/TorchParityTest.java).

Run with Debian's PyTorch (apt-get install python3-torch), from the repository root:

    /usr/bin/python3 tools/parity/make_optim_fixtures.py

It records, for each case, the loss of every closure call in order, the number of calls and the
final parameters, in float64, into src/test/resources/parity/optim.json. CI only reads that file.
"""
import json
import os
import sys

import torch

OUT = os.path.join("src", "test", "resources", "parity", "optim.json")


def quadratic_problem():
    """A fixed, mildly ill-conditioned SPD matrix (eigenvalues 1..50) and a right-hand side."""
    g = torch.Generator().manual_seed(20150826)  # Gatys et al. on arXiv
    q, _ = torch.linalg.qr(torch.randn(6, 6, generator=g, dtype=torch.float64))
    eigenvalues = torch.tensor([1.0, 2.0, 5.0, 10.0, 20.0, 50.0], dtype=torch.float64)
    a = q @ torch.diag(eigenvalues) @ q.T
    a = (a + a.T) / 2  # exactly symmetric
    b = torch.randn(6, generator=g, dtype=torch.float64)
    x0 = torch.randn(6, generator=g, dtype=torch.float64) * 3
    return a, b, x0


def quadratic(a, b):
    # the Java side writes the same expression: 0.5 * x.(A x) - b.x
    return lambda x: 0.5 * x.dot(a.matmul(x)) - b.dot(x)


def rosenbrock(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()


def run(make_optimizer, f, x0, steps=1):
    """Records every closure call of `steps` optimizer.step(closure) calls."""
    x = x0.clone().detach().requires_grad_(True)
    optimizer = make_optimizer([x])
    losses = []

    def closure():
        optimizer.zero_grad()
        loss = f(x)
        loss.backward()
        losses.append(loss.item())
        return loss

    for _ in range(steps):
        optimizer.step(closure)
    return losses, x.detach().tolist()


def lbfgs_case(name, problem, f, x0, **settings):
    losses, x_final = run(lambda p: torch.optim.LBFGS(p, **settings), f, x0)
    return {
        "name": name,
        "optimizer": "lbfgs",
        "problem": problem,
        "x0": x0.tolist(),
        "settings": settings,
        "losses": losses,
        "evaluations": len(losses),
        "x_final": x_final,
    }


def adam_case(name, problem, f, x0, steps, **settings):
    losses, x_final = run(lambda p: torch.optim.Adam(p, **settings), f, x0, steps)
    return {
        "name": name,
        "optimizer": "adam",
        "problem": problem,
        "x0": x0.tolist(),
        "settings": dict(settings, max_eval=steps),
        "losses": losses,
        "evaluations": len(losses),
        "x_final": x_final,
    }


def compact_json(value, indent=""):
    """JSON with one line per list of numbers, so diffs of regenerated fixtures stay readable."""
    inner = indent + "  "
    flat = isinstance(value, dict) and all(
        not isinstance(v, (dict, list)) or (isinstance(v, list) and len(v) <= 2)
        for v in value.values())
    if flat:
        return json.dumps(value)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {compact_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value and isinstance(value[0], (dict, list)):
        items = [inner + compact_json(v, inner) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return json.dumps(value)


def cubic_cases():
    """torch's _cubic_interpolate on hand-picked inputs: both orders of the points, bounds that
    clamp, and a cubic without a real minimizer (the midpoint branch)."""
    from torch.optim.lbfgs import _cubic_interpolate

    t = lambda v: torch.tensor(v, dtype=torch.float64)  # torch passes tensors for g1, g2
    inputs = [
        (0.0, 1.0, -2.0, 1.0, 0.5, 0.7, None),
        (1.0, 0.5, 0.7, 0.0, 1.0, -2.0, None),
        (0.0, 24.2, -500.0, 0.002, 23.5, -150.0, (0.00202, 0.02)),
        (0.3, 2.0, -1.0, 0.9, 1.2, -0.1, (0.906, 9.0)),
        (0.0, 1.0, 1.0, 1.0, 0.0, 1.0, None),
        (2.0, 3.0, -1.0, 0.5, 5.0, -4.0, None),
    ]
    cases = []
    for x1, f1, g1, x2, f2, g2, bounds in inputs:
        result = _cubic_interpolate(x1, f1, t(g1), x2, f2, t(g2), bounds=bounds)
        cases.append({"x1": x1, "f1": f1, "g1": g1, "x2": x2, "f2": f2, "g2": g2,
                      "bounds": list(bounds) if bounds else None, "result": float(result)})
    return cases


def main():
    torch.set_default_dtype(torch.float64)
    a, b, q0 = quadratic_problem()
    f_quadratic = quadratic(a, b)
    r2 = torch.tensor([-1.2, 1.0], dtype=torch.float64)
    r10 = torch.tensor([-1.2, 1.0, -0.5, 0.3, 1.5, 0.0, 0.8, -1.0, 0.2, 1.1], dtype=torch.float64)

    cases = [
        # torch's defaults but max_iter = max_eval, as stylesweep's steps
        lbfgs_case("lbfgs_quadratic_none", "quadratic", f_quadratic, q0,
                   max_iter=15, max_eval=15),
        lbfgs_case("lbfgs_quadratic_strong_wolfe", "quadratic", f_quadratic, q0,
                   max_iter=30, max_eval=30, line_search_fn="strong_wolfe"),
        # neural-style's settings: tolerances disabled, small history so that pairs are dropped
        lbfgs_case("lbfgs_rosenbrock2_none_small_lr", "rosenbrock", rosenbrock, r2,
                   lr=0.1, max_iter=40, max_eval=40, history_size=5,
                   tolerance_grad=-1, tolerance_change=-1),
        lbfgs_case("lbfgs_rosenbrock2_strong_wolfe", "rosenbrock", rosenbrock, r2,
                   max_iter=100, max_eval=100, line_search_fn="strong_wolfe"),
        lbfgs_case("lbfgs_rosenbrock10_strong_wolfe_history4", "rosenbrock", rosenbrock, r10,
                   max_iter=60, max_eval=60, history_size=4, line_search_fn="strong_wolfe"),
        # the tutorial's call pattern inside one step: max_eval above max_iter
        lbfgs_case("lbfgs_rosenbrock2_none_tutorial_budget", "rosenbrock", rosenbrock, r2,
                   lr=0.05, max_iter=20),
        adam_case("adam_quadratic", "quadratic", f_quadratic, q0, steps=40, lr=0.1),
        adam_case("adam_rosenbrock2", "rosenbrock", rosenbrock, r2, steps=40, lr=0.02),
    ]
    fixture = {
        "generator": "tools/parity/make_optim_fixtures.py",
        "torch_version": torch.__version__,
        "dtype": "float64",
        "problems": {"quadratic": {"A": a.tolist(), "b": b.tolist()}},
        "cases": cases,
        "cubic_interpolate": cubic_cases(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as out:
        out.write(compact_json(fixture) + "\n")
    for case in cases:
        print(f"{case['name']}: {case['evaluations']} evaluations, "
              f"loss {case['losses'][0]:.6g} -> {case['losses'][-1]:.6g}", file=sys.stderr)


if __name__ == "__main__":
    main()
