# Bug zoo (issue #11, docs/bugzoo.md): every tests/bugzoo/NN-name.patch
# reintroduces one defect into a scratch copy of the tree; ctest
# bugzoo_NN_name passes only if its bounded campaign reports the expected
# finding class, writes the finding and the replay reproduces it.
# bugzoo_baseline: the unmodified code gives no finding on any entry's
# campaign. All run scripts/bugzoo.sh on one scratch tree
# (${CMAKE_BINARY_DIR}/bugzoo, one Release build dir reused incrementally),
# serialised by RESOURCE_LOCK; bugzoo_prepare (the fixture) syncs and does
# the first full build so each entry only recompiles its patched files.
find_program(APFSIM_BUGZOO_BASH bash)
find_program(APFSIM_BUGZOO_GIT git)
if(APFSIM_BUGZOO_BASH AND APFSIM_BUGZOO_GIT AND TARGET apfsim)
  file(GLOB _bugzoo_patches CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/bugzoo/*.patch)
  list(SORT _bugzoo_patches)
  set(_bugzoo_script ${CMAKE_SOURCE_DIR}/scripts/bugzoo.sh)
  set(_bugzoo_env "APFSIM_BUGZOO_DIR=${CMAKE_BINARY_DIR}/bugzoo;APFSIM_BUGZOO_JOBS=2;APFSIM_BUGZOO_LOCK_WAIT=900")

  add_test(NAME bugzoo_prepare COMMAND ${APFSIM_BUGZOO_BASH} ${_bugzoo_script} prepare)
  set_tests_properties(bugzoo_prepare PROPERTIES
    LABELS "bugzoo" ENVIRONMENT "${_bugzoo_env}" TIMEOUT 900
    FIXTURES_SETUP bugzoo_scratch RESOURCE_LOCK bugzoo_scratch)

  set(_bugzoo_names "")
  foreach(_patch IN LISTS _bugzoo_patches)
    get_filename_component(_entry ${_patch} NAME_WE)
    if(NOT _entry MATCHES "^([0-9][0-9])-([a-z0-9-]+)$")
      message(WARNING "tests/bugzoo: ${_entry}.patch is not named NN-short-name.patch; skipped")
      continue()
    endif()
    string(REPLACE "-" "_" _test_name "bugzoo_${CMAKE_MATCH_1}_${CMAKE_MATCH_2}")
    add_test(NAME ${_test_name} COMMAND ${APFSIM_BUGZOO_BASH} ${_bugzoo_script} check ${_patch})
    set_tests_properties(${_test_name} PROPERTIES
      LABELS "bugzoo" ENVIRONMENT "${_bugzoo_env}" TIMEOUT 240
      FIXTURES_REQUIRED bugzoo_scratch RESOURCE_LOCK bugzoo_scratch)
    list(APPEND _bugzoo_names ${_test_name})
  endforeach()

  add_test(NAME bugzoo_baseline COMMAND ${APFSIM_BUGZOO_BASH} ${_bugzoo_script} baseline)
  set_tests_properties(bugzoo_baseline PROPERTIES
    LABELS "bugzoo" ENVIRONMENT "${_bugzoo_env}" TIMEOUT 600
    FIXTURES_REQUIRED bugzoo_scratch RESOURCE_LOCK bugzoo_scratch)
endif()
