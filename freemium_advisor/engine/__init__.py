"""The engine: infer signals, fire rules, decide each feature, run the checks, and the CI gate over it."""
