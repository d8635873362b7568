# kshim_kernel_library(): build a kernel half (guestlib, hostlib, the kernel
# part of xenshim, test kernels) against the kshim layer. See
# docs/kshim-core.md.
#
#   kshim_kernel_library(NAME guestlib
#                        SOURCES a.c b.c
#                        [INCLUDES dir...]      # PUBLIC include directories
#                        [LIBS target...])      # PUBLIC link dependencies
#   target_link_libraries(my_test PRIVATE guestlib)
#
# It creates two targets:
#   <NAME>_archive  the static library: project warnings, -fdata-sections
#                   -fno-common, linked PUBLIC to kshim; after every build its
#                   data sections are renamed into "kshim_kdata" (below);
#   <NAME>          an INTERFACE target to link against: the archive as a
#                   whole archive ($<LINK_LIBRARY:WHOLE_ARCHIVE,...>), so
#                   objects nobody references (e.g. a file with only an
#                   initcall) are linked all the same.
# Always link <NAME>, never <NAME>_archive: CMake refuses to link the same
# archive with and without the WHOLE_ARCHIVE feature in one program.
#
# Kernel data reset: every execution must start with the halves' static
# variables as at program start. With -fdata-sections each variable has its
# own section (.data.x, .bss.x, .data.rel.local.x, ...). The post-build step
# renames every such section of the archive to "kshim_kdata" (flags
# alloc,load,contents,data: .bss becomes file-backed zeros, so the linker
# makes ONE output section), except
#   - .data.rel.ro* (read-only after relocation),
#   - compiler-local names (".data..L...", ".data.rel..LPBX0": gcov info,
#     ASan/UBSan descriptors),
#   - instrumentation state: names starting with __gcov, __llvm (gcov and
#     clang coverage counters), __odr_asan, __asan, __tsan, __ubsan,
#     __sancov, __prof, __unnamed (clang's ASan global array).
# The linker then defines __start_kshim_kdata/__stop_kshim_kdata, which
# sim/kshim/reset.c snapshots at program start and restores in kshim_create().
# Sections named by the code itself (kshim_percpu, kshim_initcall,
# kshim_early_param) are not touched.
#
# The same file, run with `cmake -P` and -DKSHIM_ARCHIVE=..., does the rename.
include_guard(GLOBAL)

function(_kshim_kdata_section_wanted name out)
  set(wanted FALSE)
  if(name MATCHES "^\\.data\\.rel\\.ro(\\..*)?$")
    set(wanted FALSE)
  elseif(name MATCHES "^\\.(data\\.rel\\.local|data\\.rel|data|bss)(\\.(.*))?$")
    set(suffix "${CMAKE_MATCH_3}")
    if(CMAKE_MATCH_2 STREQUAL "")
      set(wanted TRUE)
    elseif(suffix MATCHES "^\\." OR suffix STREQUAL "")
      set(wanted FALSE)
    elseif(suffix MATCHES "^(__gcov|__llvm|__odr_asan|__asan|__tsan|__ubsan|__sancov|__prof|__unnamed)")
      set(wanted FALSE)
    else()
      set(wanted TRUE)
    endif()
  endif()
  set(${out} ${wanted} PARENT_SCOPE)
endfunction()

function(_kshim_kdata_sections archive out)
  execute_process(COMMAND ${KSHIM_READELF} -SW ${archive}
                  OUTPUT_VARIABLE listing RESULT_VARIABLE rc ERROR_VARIABLE errors)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "kshim: ${KSHIM_READELF} -SW ${archive} failed: ${errors}")
  endif()
  string(REGEX MATCHALL "\\[ *[0-9]+\\] [^ \n]+" entries "${listing}")
  set(names "")
  foreach(entry IN LISTS entries)
    string(REGEX REPLACE "^\\[ *[0-9]+\\] " "" name "${entry}")
    _kshim_kdata_section_wanted("${name}" wanted)
    if(wanted)
      list(APPEND names "${name}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES names)
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE)
  # cmake -DKSHIM_ARCHIVE=lib.a -DKSHIM_OBJCOPY=... -DKSHIM_READELF=... -P this file
  foreach(var KSHIM_ARCHIVE KSHIM_OBJCOPY KSHIM_READELF)
    if(NOT ${var})
      message(FATAL_ERROR "kshim: ${var} not set")
    endif()
  endforeach()
  _kshim_kdata_sections(${KSHIM_ARCHIVE} names)
  if(names)
    set(arguments "")
    foreach(name IN LISTS names)
      string(APPEND arguments "--rename-section ${name}=kshim_kdata,alloc,load,contents,data\n")
    endforeach()
    set(argument_file "${KSHIM_ARCHIVE}.kdata-args")
    file(WRITE ${argument_file} "${arguments}")
    execute_process(COMMAND ${KSHIM_OBJCOPY} @${argument_file} ${KSHIM_ARCHIVE}
                    RESULT_VARIABLE rc ERROR_VARIABLE errors)
    if(NOT rc EQUAL 0 OR NOT errors STREQUAL "")
      message(FATAL_ERROR "kshim: objcopy of ${KSHIM_ARCHIVE} failed: ${errors}")
    endif()
    _kshim_kdata_sections(${KSHIM_ARCHIVE} left)
    if(left)
      message(FATAL_ERROR "kshim: data sections left in ${KSHIM_ARCHIVE}: ${left}")
    endif()
  endif()
  return()
endif()

# GNU binutils (the link uses GNU ld with gcc and clang alike).
find_program(KSHIM_OBJCOPY NAMES objcopy REQUIRED)
find_program(KSHIM_READELF NAMES readelf REQUIRED)

function(kshim_kernel_library)
  cmake_parse_arguments(K "" "NAME" "SOURCES;INCLUDES;LIBS" ${ARGN})
  if(NOT K_NAME OR NOT K_SOURCES OR K_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "kshim_kernel_library(NAME name SOURCES ... [INCLUDES ...] [LIBS ...]): "
                        "bad arguments '${ARGN}'")
  endif()
  if(NOT TARGET kshim)
    message(FATAL_ERROR "kshim_kernel_library(${K_NAME}): the kshim target must exist first")
  endif()
  set(archive ${K_NAME}_archive)
  add_library(${archive} STATIC ${K_SOURCES})
  apfsim_target_warnings(${archive})
  target_compile_options(${archive} PRIVATE -fdata-sections -fno-common)
  target_include_directories(${archive} PUBLIC ${K_INCLUDES})
  target_link_libraries(${archive} PUBLIC kshim ${K_LIBS})
  add_custom_command(TARGET ${archive} POST_BUILD
                     COMMAND ${CMAKE_COMMAND} -DKSHIM_ARCHIVE=$<TARGET_FILE:${archive}>
                             -DKSHIM_OBJCOPY=${KSHIM_OBJCOPY} -DKSHIM_READELF=${KSHIM_READELF}
                             -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
                     COMMENT "kshim: data of ${K_NAME} into section kshim_kdata"
                     VERBATIM)
  add_library(${K_NAME} INTERFACE)
  target_link_libraries(${K_NAME} INTERFACE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${archive}>")
endfunction()
