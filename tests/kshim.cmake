# kshim tests: pure parts (cmocka), scenarios on the engine (Check, fork
# mode) and the include lint of the kernel halves (shell, label style).
if(TARGET kshim)
  apfsim_cmocka_test(NAME unit_kshim_pure SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_kshim_pure.c
                     LIBS kshim LABELS "unit;memcheck")
  if(TARGET sim_strategies)
    apfsim_check_test(NAME sim_kshim SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sim/test_kshim.c
                      LIBS kshim sim_strategies LABELS "sim" TIMEOUT 300)
  endif()
endif()
add_test(NAME style_kshim_include_lint
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/kshim/include_lint.sh ${CMAKE_SOURCE_DIR})
add_test(NAME selftest_kshim_include_lint
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/kshim/include_lint_selftest.sh
                 ${CMAKE_CURRENT_SOURCE_DIR}/kshim/include_lint.sh)
set_tests_properties(style_kshim_include_lint PROPERTIES LABELS "style" TIMEOUT 60)
set_tests_properties(selftest_kshim_include_lint PROPERTIES LABELS "style;selftest" TIMEOUT 60)
