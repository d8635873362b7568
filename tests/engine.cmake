# Engine tests: classic bugs, DFS counts, determinism, replay (Check, fork
# mode), and engine-level scenarios.
if(TARGET sim_check)
  add_library(test_programs STATIC ${CMAKE_CURRENT_SOURCE_DIR}/support/programs.c)
  apfsim_target_warnings(test_programs)
  target_include_directories(test_programs PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/support)
  target_link_libraries(test_programs PUBLIC sim_check sim_strategies sim_engine)

  apfsim_check_test(NAME sim_engine_programs SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sim/test_engine.c
                    LIBS test_programs LABELS "sim;determinism" TIMEOUT 900)
  apfsim_check_test(NAME sim_engine_model SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sim/test_engine_model.c
                    LIBS test_programs LABELS "sim;memcheck;freerun" TIMEOUT 300)
endif()
