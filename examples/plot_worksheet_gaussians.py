"""
The worksheet's three Gaussians
===============================

The classroom worksheet draws points from three 2-D Gaussians, then asks: without the
colours, could you still tell which point came from which Gaussian? Here skmix samples the
three Gaussians, shows the points with and without their colours, lets EM find the mixture
from the points alone, and checks EM's answer against the truth.
"""

# %%
# The ground truth, given by hand
# -------------------------------
# Means (1, 1), (5, 2) and (1, 4); diagonal covariances; equal weights.
import matplotlib.pyplot as plt

from skmix import GaussianMixtureSampler
from skmix.compare import match_components
from skmix.datasets import worksheet_gaussians

truth = GaussianMixtureSampler(**worksheet_gaussians(), random_state=0).fit()
X, y = truth.sample(600)
print(X[:3], y[:3])

# %%
# With and without the colours
# ----------------------------
fig, (coloured, plain) = plt.subplots(1, 2, figsize=(10, 4), sharex=True, sharey=True)
coloured.scatter(X[:, 0], X[:, 1], c=y, cmap="tab10", vmin=0, vmax=9, s=8)
coloured.set_title("coloured by the Gaussian each point came from")
plain.scatter(X[:, 0], X[:, 1], color="grey", s=8)
plain.set_title("one colour: which Gaussian?")

# %%
# EM on the points alone
# ----------------------
# ``fit(X)`` runs scikit-learn's EM; the fitted mixture can be sampled like the truth.
fitted = GaussianMixtureSampler(n_components=3, random_state=0).fit(X)
plain.scatter(*fitted.means_.T, marker="+", s=200, color="black", label="EM's means")
plain.legend()

# %%
# Compare with the truth
# ----------------------
# Components are matched one-to-one (Hungarian) by the Hellinger distance between Gaussians;
# the adjusted Rand index says how well EM's labels agree with the true ones.
report = match_components(truth, fitted, X=X, labels_true=y)
print(report)
plt.show()
