"""Worked examples for packages/sweep/src/tpe.test.ts, from Optuna's TPE definitions.

Written from optuna/samplers/_tpe/{sampler.py,parzen_estimator.py,probability_distributions.py}
(univariate, consider_endpoints=False, consider_magic_clip=True, prior_weight=1,
default_gamma, default_weights), with scipy's truncnorm in place of optuna's _truncnorm.
Independent of the TypeScript port: run `python3 tpe_reference.py` to print the numbers the
test holds (scipy and numpy only; no Optuna needed).
"""
import json
import numpy as np
from scipy.stats import truncnorm, norm


def default_gamma(n):
    return min(int(np.ceil(0.1 * n)), 25)


def default_weights(n):
    if n == 0:
        return np.asarray([])
    elif n < 25:
        return np.ones(n)
    else:
        ramp = np.linspace(1.0 / n, 1.0, num=n - 25)
        flat = np.ones(25)
        return np.concatenate([ramp, flat], axis=0)


def kernel_weights(n, prior_weight=1.0):
    w = np.array([1.0]) if n == 0 else np.append(default_weights(n), prior_weight)
    return w / w.sum()


def numerical(obs, low, high, step=None):
    """_calculate_numerical_distributions, univariate: (mus, sigmas) with the prior last."""
    step_or_0 = step or 0
    obs = np.asarray(obs, dtype=float)
    prior_mu = 0.5 * (low + high)
    mus_with_prior = np.append(obs, prior_mu)
    sorted_indices = np.argsort(mus_with_prior)
    sorted_mus = mus_with_prior[sorted_indices]
    e = np.empty(len(mus_with_prior) + 2)
    e[0] = low - step_or_0 / 2
    e[1:-1] = sorted_mus
    e[-1] = high + step_or_0 / 2
    sorted_sigmas = np.maximum(e[1:-1] - e[0:-2], e[2:] - e[1:-1])
    if e.shape[0] >= 4:
        sorted_sigmas[0] = e[2] - e[1]
        sorted_sigmas[-1] = e[-2] - e[-3]
    sigmas = sorted_sigmas[np.argsort(sorted_indices)][: len(obs)]
    maxsigma = 1.0 * (high - low + step_or_0)
    minsigma = 1.0 * (high - low + step_or_0) / min(100.0, (1.0 + len(obs) + 1))
    sigmas = np.clip(sigmas, minsigma, maxsigma)
    return np.append(obs, prior_mu), np.append(sigmas, maxsigma)


def log_pdf_continuous(x, w, mus, sigmas, low, high):
    a, b = (low - mus) / sigmas, (high - mus) / sigmas
    return np.log(np.sum(w * truncnorm.pdf(x, a, b, loc=mus, scale=sigmas)))


def log_pdf_discrete(x, w, mus, sigmas, low, high, step):
    lo, hi = low - step / 2, high + step / 2
    xl, xu = max(x - step / 2, lo), min(x + step / 2, hi)
    mass = norm.cdf((xu - mus) / sigmas) - norm.cdf((xl - mus) / sigmas)
    accept = norm.cdf((hi - mus) / sigmas) - norm.cdf((lo - mus) / sigmas)
    return np.log(np.sum(w * mass / accept))


def categorical(obs, n_choices, prior_weight=1.0):
    if len(obs) == 0:
        return np.full((1, n_choices), 1.0 / n_choices)
    k = len(obs) + 1
    rows = np.full((k, n_choices), prior_weight / k)
    rows[np.arange(len(obs)), obs] += 1
    return rows / rows.sum(axis=1, keepdims=True)


def sample_continuous(us, w, mus, sigmas, low, high):
    """One draw as the TS port consumes uniforms: a kernel by the cumulative weights, then the
    truncated normal's inverse CDF (the method of optuna's _truncnorm.rvs)."""
    k = int(np.sum(np.cumsum(w) <= us[0]))
    a, b = (low - mus[k]) / sigmas[k], (high - mus[k]) / sigmas[k]
    return truncnorm.ppf(us[1], a, b, loc=mus[k], scale=sigmas[k])


out = {}
# 1. A linear float range [0, 10]: below {1, 3}, above {6, 8, 9}.
bm, bs = numerical([1, 3], 0, 10)
am, as_ = numerical([6, 8, 9], 0, 10)
out["float"] = {
    "below": {"mus": bm.tolist(), "sigmas": bs.tolist()},
    "above": {"mus": am.tolist(), "sigmas": as_.tolist()},
    "logL": [log_pdf_continuous(x, kernel_weights(2), bm, bs, 0, 10) for x in (2.0, 7.0)],
    "logG": [log_pdf_continuous(x, kernel_weights(3), am, as_, 0, 10) for x in (2.0, 7.0)],
}
# 2. A log float range [1e-4, 1]: below {1e-3}, density in log space at log(x).
lo, hi = np.log(1e-4), np.log(1.0)
m, s = numerical(np.log([1e-3]), lo, hi)
out["log"] = {"logL": [log_pdf_continuous(np.log(x), kernel_weights(1), m, s, lo, hi) for x in (1e-3, 0.1)]}
# 3. A linear int range [1, 5] (step 1): below {2, 4}.
m, s = numerical([2, 4], 1, 5, step=1)
out["int"] = {
    "sigmas": s.tolist(),
    "logL": [log_pdf_discrete(x, kernel_weights(2), m, s, 1, 5, 1) for x in (1, 3, 5)],
}
# 4. A log int range [1, 100]: continuous on [log 0.5, log 100.5], density at log(x).
lo, hi = np.log(0.5), np.log(100.5)
m, s = numerical(np.log([10]), lo, hi)
out["logint"] = {"logL": [log_pdf_continuous(np.log(x), kernel_weights(1), m, s, lo, hi) for x in (10, 50)]}
# 5. Categorical, 3 choices: below {0, 0, 2}, above {1}.
lw, gw = kernel_weights(3), kernel_weights(1)
L, G = categorical(np.array([0, 0, 2]), 3), categorical(np.array([1]), 3)
out["categorical"] = {
    "logL": [float(np.log(lw @ L[:, c])) for c in range(3)],
    "logG": [float(np.log(gw @ G[:, c])) for c in range(3)],
}
# 6. A whole proposal: history of 11 completed trials of x on [0, 10], goal min, value (x - 3)^2.
#    gamma(11) = 2 below; 4 candidates from these uniforms; the argmax of log l - log g wins.
xs = [0.5, 9.0, 2.0, 4.0, 7.0, 8.5, 1.0, 6.0, 3.5, 5.0, 2.5]
vals = [(x - 3) ** 2 for x in xs]
n_below = default_gamma(len(xs))
order = np.argsort(vals, kind="stable")
below = sorted(order[:n_below].tolist())
above = sorted(order[n_below:].tolist())
bx, ax = [xs[i] for i in below], [xs[i] for i in above]
bm, bs = numerical(bx, 0, 10)
am, as_ = numerical(ax, 0, 10)
us = [0.1, 0.3, 0.5, 0.9, 0.7, 0.2, 0.95, 0.6]
cands = [sample_continuous(us[2 * i : 2 * i + 2], kernel_weights(len(bx)), bm, bs, 0, 10) for i in range(4)]
scores = [
    log_pdf_continuous(c, kernel_weights(len(bx)), bm, bs, 0, 10)
    - log_pdf_continuous(c, kernel_weights(len(ax)), am, as_, 0, 10)
    for c in cands
]
out["proposal"] = {
    "below": bx,
    "candidates": [float(c) for c in cands],
    "scores": [float(v) for v in scores],
    "chosen": float(cands[int(np.argmax(scores))]),
}
print(json.dumps(out, indent=1, default=float))
