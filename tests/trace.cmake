# Trace exports. jansson parses the exported JSON back; only this test links it.
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
apfsim_cmocka_test(NAME unit_trace_export
                   SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_trace_export.c
                   LIBS sim_trace_export PkgConfig::JANSSON LABELS "unit;memcheck")
# The test wraps calloc() to make the exports' allocations fail on demand.
target_link_options(unit_trace_export PRIVATE -Wl,--wrap=calloc)
