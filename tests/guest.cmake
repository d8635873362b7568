# Guest half (guestlib/) tests: the waiter table in pure kshim mode (cmocka).
if(TARGET guestlib_table)
  apfsim_cmocka_test(NAME unit_guest_table
                     SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/guest/test_guest_table.c
                     LIBS guestlib_table LABELS "unit;memcheck")
endif()

# Linux coding style of guestlib/ (checkpatch.pl --strict from linux-source-6.1;
# skipped, exit 77, when it is not available).
add_test(NAME style_guest_checkpatch
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/guest/checkpatch.sh ${CMAKE_SOURCE_DIR}/guestlib
                 ${CMAKE_BINARY_DIR}/checkpatch-6.1)
set_tests_properties(style_guest_checkpatch PROPERTIES LABELS "style" TIMEOUT 300
                     SKIP_RETURN_CODE 77)

# Scenarios on the engine with the platform, kshim and a scripted host.
if(TARGET guestlib AND TARGET sim_strategies)
  apfsim_check_test(NAME sim_guest
                    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/guest/test_guest_sim.c
                            ${CMAKE_CURRENT_SOURCE_DIR}/guest/scripted_host.c
                    LIBS guestlib kshim sim_strategies LABELS "sim;memcheck" TIMEOUT 900)
endif()
