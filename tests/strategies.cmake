# Strategies and the schedule codec: pure logic, no running engine needed,
# except unit_strategy_engine (end to end on the engine: DFS counts, replays).
# The strategy tests reach the private accessors in sim/strategy_private.h.
foreach(test schedule_codec strategy_registry strategy_random strategy_pct strategy_dfs
             strategy_replay strategy_rr strategy_engine)
  apfsim_cmocka_test(NAME unit_${test}
                     SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_${test}.c
                     LIBS sim_strategies
                     INCLUDES ${CMAKE_SOURCE_DIR}/sim
                     LABELS "unit;memcheck")
endforeach()
