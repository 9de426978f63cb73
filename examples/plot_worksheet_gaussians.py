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
# EM on the points alone
# ----------------------
# ``fit(X)`` runs scikit-learn's EM; the fitted mixture can be sampled like the truth.
fitted = GaussianMixtureSampler(n_components=3, random_state=0).fit(X)
print(fitted.means_.round(2))

# %%
# With and without the colours
# ----------------------------
# Left, the truth; right, what EM sees (no colours) and where it puts the three means.
fig, (coloured, plain) = plt.subplots(1, 2, figsize=(10, 4.5), sharex=True, sharey=True,
                                      layout="constrained")
for k, mean in enumerate(truth.means_):
    coloured.scatter(*X[y == k].T, s=8, color=f"C{k}", label=f"mean ({mean[0]:g}, {mean[1]:g})")
coloured.set_title("coloured by the Gaussian each point came from")
coloured.set_ylim(top=5.8)  # room for the legends above the points
coloured.legend(title="component", loc="upper right", fontsize="small", ncols=3)
plain.scatter(X[:, 0], X[:, 1], color="grey", s=8, label="the points, colours forgotten")
plain.scatter(*fitted.means_.T, marker="+", s=200, color="black", label="EM's means")
plain.set_title("one colour: which Gaussian?")
plain.legend(loc="upper right", fontsize="small", ncols=2)

# %%
# Compare with the truth
# ----------------------
# Components are matched one-to-one (Hungarian) by the Hellinger distance between Gaussians;
# the adjusted Rand index says how well EM's labels agree with the true ones.
report = match_components(truth, fitted, X=X, labels_true=y)
print(report)
plt.show()
