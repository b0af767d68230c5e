# Script mode: writes OUTPUT (a header with the source tree's `git describe`) only when the text changes, so a
# build after a new commit records the new revision without rebuilding anything else.
execute_process(COMMAND git describe --always --dirty --abbrev=12
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR revision STREQUAL "")
  set(revision "unknown")
endif()
set(content "// Generated at build time by cmake/GitRevisionScript.cmake.\n#pragma once\nnamespace railcheck::build_info {\ninline constexpr const char* kGitRevision = \"${revision}\";\n}\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} previous)
endif()
if(NOT "${previous}" STREQUAL "${content}")
  file(WRITE ${OUTPUT} "${content}")
endif()
