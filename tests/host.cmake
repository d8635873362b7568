# Host half (hostlib/) tests: the gfn slot hash alone (cmocka), scenarios
# with a scripted guest on the simulated KVM (Check, fork mode), and the
# kernel coding style of hostlib/ (checkpatch, label style).
if(TARGET hostlib_slot)
  apfsim_cmocka_test(NAME unit_host_slot SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/host/test_host_slot.c
                     LIBS hostlib_slot LABELS "unit;memcheck")
endif()

if(TARGET hostlib AND TARGET sim_kvm AND TARGET sim_strategies)
  # The scripted guest and its world, shared with tests/kvm.cmake.
  add_library(apf_world STATIC ${CMAKE_CURRENT_SOURCE_DIR}/host/apf_world.c)
  apfsim_target_warnings(apf_world)
  target_include_directories(apf_world PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/host)
  target_link_libraries(apf_world PUBLIC hostlib sim_kvm sim_strategies check_support
                        PkgConfig::CHECK)
  foreach(scenario smoke hypercalls channel fixes lifecycle limits)
    apfsim_check_test(NAME sim_host_${scenario}
                      SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/host/test_host_${scenario}.c
                      LIBS apf_world LABELS "sim;memcheck" TIMEOUT 300)
  endforeach()
endif()

# Linux coding style of hostlib/ (checkpatch.pl --strict from linux-source-6.1,
# via the guest half's script; skipped, exit 77, when it is not available).
if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/guest/checkpatch.sh)
  add_test(NAME style_host_checkpatch
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/guest/checkpatch.sh ${CMAKE_SOURCE_DIR}/hostlib
                   ${CMAKE_BINARY_DIR}/checkpatch-6.1)
  set_tests_properties(style_host_checkpatch PROPERTIES LABELS "style" TIMEOUT 300
                       SKIP_RETURN_CODE 77)
endif()
