# Script mode helper for railcheck_embed_file: writes INPUT's bytes as a raw string literal.
file(READ ${INPUT} content)
string(FIND "${content}" ")rcembed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )rcembed\"")
endif()
file(WRITE ${OUTPUT} "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace railcheck::embedded {\nextern const std::string_view ${SYMBOL};\nconst std::string_view ${SYMBOL} = R\"rcembed(${content})rcembed\";\n}\n")
