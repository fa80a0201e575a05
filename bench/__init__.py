"""The benchmark harness behind `make bench`: bench.run (builds, timings, report) and
bench.baseline (the same questions answered with pandas, the way a typical Streamlit app does)."""
