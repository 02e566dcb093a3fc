"""The numerical core of Coproduce's measurement engine.

Pure NumPy / pandas / SciPy code, with no Django import, so that it can be tested and
benchmarked on its own and run inside a task worker:

- :mod:`coproduce.analysis.index` turns survey answers into the 0-100 co-production index
  ("zero" to "hero") per respondent and sector, with individual and collective sub-indices;
- :mod:`coproduce.analysis.survey` estimates means and proportions over domains from a
  complex sample (weights, strata, PSUs) with Taylor-linearised standard errors;
- :mod:`coproduce.analysis.raking` rakes weights to population margins.
"""
