# Foundation tests: the harness itself.
apfsim_cmocka_test(NAME unit_prng SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_prng.c
                   LIBS sim_engine LABELS "unit;memcheck")
