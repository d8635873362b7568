# Trace exports: Chrome/Perfetto trace JSON and plain text (docs/trace.md).
apfsim_sim_library(NAME sim_trace_export SOURCES trace_export.c DEPS sim_engine)
