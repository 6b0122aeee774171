# SPDX-License-Identifier: GPL-3.0-or-later
# conclave_core_module(NAME name SOURCES ... [PUBLIC_LINKS ...] [PRIVATE_LINKS ...])
# Defines the static library conclave_<name> with alias conclave::<name>, includes rooted at
# core/ (so headers are included as "policy/PolicyParser.h"), and records it in the list of
# core targets that the layering check inspects.
function(conclave_core_module)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;PUBLIC_LINKS;PRIVATE_LINKS" ${ARGN})
  set(target conclave_${ARG_NAME})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(conclave::${ARG_NAME} ALIAS ${target})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/core)
  target_link_libraries(${target} PUBLIC ${ARG_PUBLIC_LINKS} PRIVATE conclave_warnings ${ARG_PRIVATE_LINKS})
  set_property(GLOBAL APPEND PROPERTY CONCLAVE_CORE_TARGETS ${target})
endfunction()
