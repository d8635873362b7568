# End-to-end tests: whole executions (sim/world) with both protocol halves.
if(TARGET sim_world)
  apfsim_check_test(NAME sim_world_e2e SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/world/test_world_e2e.c
                    LIBS sim_world LABELS "sim;integration" TIMEOUT 600)
endif()
if(TARGET sim_world)
  apfsim_check_test(NAME sim_world_events SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/world/test_world_events.c
                    LIBS sim_world LABELS "sim;integration" TIMEOUT 600)
endif()
