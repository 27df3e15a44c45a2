# ctest layout_private_headers: a source of one folder cannot include another
# folder's private header, while that folder's public header builds; and no
# source reaches around the rule with a "../" include. Run with
# -DBUILD_DIR=... -DSOURCE_DIR=... (see CMakeLists.txt).
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target layout_probe_public
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "a public header (api/api.h) should build from src/bot/:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target layout_probe_private
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(rc EQUAL 0)
  message(FATAL_ERROR "api/context.h is private to src/api/, yet src/bot/ could include it")
endif()
if(NOT out MATCHES "api/context.h[^\n]*(No such file|not found)")
  message(FATAL_ERROR "layout_probe_private failed, but not for the private header:\n${out}")
endif()
file(GLOB_RECURSE sources ${SOURCE_DIR}/src/*.h ${SOURCE_DIR}/src/*.cc ${SOURCE_DIR}/tests/*.cc
     ${SOURCE_DIR}/bench/*.cc ${SOURCE_DIR}/fuzz/*.cc)
foreach(f ${sources})
  file(STRINGS ${f} bad REGEX "^[ \t]*#[ \t]*include[ \t]*\"(\\.\\./|/)")
  if(bad)
    message(FATAL_ERROR "${f}: includes by relative or absolute path around the folder rule: ${bad}")
  endif()
endforeach()
message(STATUS "private headers stay private")
