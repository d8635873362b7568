# End-to-end tests: whole executions (sim/world) with both protocol halves.
if(TARGET sim_world)
  apfsim_check_test(NAME sim_world_e2e SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/world/test_world_e2e.c
                    LIBS sim_world LABELS "sim;integration" TIMEOUT 600)
endif()
if(TARGET sim_world)
  apfsim_check_test(NAME sim_world_events SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/world/test_world_events.c
                    LIBS sim_world LABELS "sim;integration" TIMEOUT 600)
endif()
# sim/world/world_xen.c (bug zoo entry 13): the Xen-shim slot exercise in a world.
if(TARGET sim_world)
  apfsim_check_test(NAME sim_world_xen SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/world/test_world_xen.c
                    LIBS sim_world LABELS "sim;integration;memcheck" TIMEOUT 300
                    INCLUDES ${CMAKE_SOURCE_DIR}/sim/world)
endif()
# sim/world/world_sdei.c (bug zoo entry 12): the SDEI masked-PE probe in a world.
if(TARGET sim_world)
  apfsim_check_test(NAME sim_world_sdei SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/world/test_world_sdei.c
                    LIBS sim_world LABELS "sim;integration;memcheck" TIMEOUT 300
                    INCLUDES ${CMAKE_SOURCE_DIR}/sim/world)
endif()
# The sdei-fail injection (sim/kvm sdei_fail_ratio, WORLD_INJECT_SDEI_FAIL): failures counted, rolled back (H1).
if(TARGET sim_world)
  apfsim_check_test(NAME sim_world_sdei_fail SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/world/test_world_sdei_fail.c
                    LIBS sim_world LABELS "sim;integration;memcheck" TIMEOUT 300)
endif()
# sim/world/world_crash.c (bug zoo entries 07, 08): the "crash" event class in a world.
if(TARGET sim_world)
  apfsim_check_test(NAME sim_world_crash SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/world/test_world_crash.c
                    LIBS sim_world LABELS "sim;integration;memcheck" TIMEOUT 300
                    INCLUDES ${CMAKE_SOURCE_DIR}/sim/world)
endif()
