# The simulated KVM core (sim/kvm/) tests: kernel calls of the KVM core made
# from a scripted guest's tasks and host threads (Check, fork mode). The
# scripted guest (apf_world) is declared in tests/host.cmake.
if(TARGET apf_world)
  apfsim_check_test(NAME sim_kvm_core SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/kvm/test_kvm_core.c
                    LIBS apf_world LABELS "sim;memcheck" TIMEOUT 300
                    INCLUDES ${CMAKE_SOURCE_DIR}/sim/kvm)
endif()
